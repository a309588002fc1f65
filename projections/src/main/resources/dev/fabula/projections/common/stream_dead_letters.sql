-- One stream's held-back events (parked or marked for retry), in position order.
-- Parameters: :name, :version, :tenant_id (the stream's tenant, '' for none), :stream_id
SELECT
    ${dead_letter_columns}
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
  AND tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND status IN ('PARKED', 'RETRY')
ORDER BY position

-- A tenant's stored events after a position, oldest first, as stored (no upcasting, no decryption).
-- Parameters: :tenant_id, :after (exclusive), :up_to (inclusive: a position every earlier one of
--             which has committed), :limit
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND position > :after
  AND position <= :up_to
ORDER BY position
LIMIT :limit

-- The streams with a retry request, each named by its tenant ('' for none) and id.
-- Parameters: :name, :version
SELECT DISTINCT
    tenant_id,
    stream_id
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
  AND status = 'RETRY'
ORDER BY
    tenant_id,
    stream_id

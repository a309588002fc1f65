-- The streams a projection version holds back, each with its first parked position. A stream is
-- named by its tenant ('' for none) and id: two tenants' streams of one id are two streams.
-- Parameters: :name, :version
SELECT
    tenant_id,
    stream_id,
    min(position) AS first_position
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
  AND status IN ('PARKED', 'RETRY')
GROUP BY
    tenant_id,
    stream_id

-- Ask the lease holder to retry parked events: those of one stream, or all (stream null).
-- Parameters: :name, :version, :tenant_id (the stream's tenant, '' for none),
--             :stream_id (null for every stream of every tenant)
-- Returns: the number of events marked for retry.
-- Guarantee: the lease holder retries a stream's events in position order before it applies any
-- later event of that stream (see the runner), so the stream's order is kept.
UPDATE ${qualified_prefix}projection_dead_letters
SET status = 'RETRY',
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND status = 'PARKED'
  AND (:stream_id IS NULL OR (tenant_id = :tenant_id AND stream_id = :stream_id))

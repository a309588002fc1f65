-- A projection version's dead letters, whatever their status, in position order.
-- Parameters: :name, :version
SELECT
    name,
    version,
    position,
    stream_id,
    stream_version,
    event_type,
    status,
    blocked_by,
    reason,
    attempts,
    parked_at_ms,
    updated_at_ms
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
ORDER BY position

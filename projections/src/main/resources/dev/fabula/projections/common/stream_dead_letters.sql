-- One stream's held-back events (parked or marked for retry), in position order.
-- Parameters: :name, :version, :stream_id
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
  AND stream_id = :stream_id
  AND status IN ('PARKED', 'RETRY')
ORDER BY position

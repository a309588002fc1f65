-- The dead letter of one position, if any (the delivery audit).
-- Parameters: :name, :version, :position
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
  AND position = :position

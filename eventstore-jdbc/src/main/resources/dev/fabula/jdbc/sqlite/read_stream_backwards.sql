-- Part of one stream, newest first.
-- Parameters: :stream_id, :from_version (inclusive), :limit
SELECT
    position,
    stream_id,
    stream_version,
    event_id,
    event_type,
    schema_version,
    tenant_id,
    correlation_id,
    causation_id,
    actor,
    metadata,
    payload,
    recorded_at
FROM ${prefix}events
WHERE stream_id = :stream_id
  AND stream_version <= :from_version
ORDER BY stream_version DESC
LIMIT :limit

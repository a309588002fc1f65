-- Part of one stream, oldest first.
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
    metadata::text AS metadata,
    payload::text AS payload,
    recorded_at
FROM ${schema}.${prefix}events
WHERE stream_id = :stream_id
  AND stream_version >= :from_version
ORDER BY stream_version
LIMIT :limit

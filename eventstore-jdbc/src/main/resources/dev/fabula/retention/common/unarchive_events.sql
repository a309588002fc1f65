-- Put an archived stream's events back into the events table at their old positions (positions
-- are never reused, so they are still free).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
INSERT INTO ${qualified_prefix}events (
    position,
    stream_id,
    stream_version,
    event_id,
    event_type,
    schema_version,
    category,
    tenant_id,
    correlation_id,
    causation_id,
    actor,
    metadata,
    payload,
    recorded_at
)
SELECT
    position,
    stream_id,
    stream_version,
    event_id,
    event_type,
    schema_version,
    category,
    tenant_id,
    correlation_id,
    causation_id,
    actor,
    metadata,
    payload,
    recorded_at
FROM ${qualified_prefix}archived_events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
ORDER BY position

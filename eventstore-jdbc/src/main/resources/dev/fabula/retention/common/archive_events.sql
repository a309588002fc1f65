-- Copy a stream's events to cold storage (the caller then removes them from the events table, in
-- the same transaction).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
INSERT INTO ${qualified_prefix}archived_events (
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
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

-- Insert one event (run as a JDBC batch). The position is assigned by AUTOINCREMENT.
INSERT INTO ${prefix}events (
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
) VALUES (
    :stream_id,
    :stream_version,
    :event_id,
    :event_type,
    :schema_version,
    :category,
    :tenant_id,
    :correlation_id,
    :causation_id,
    :actor,
    :metadata,
    :payload,
    :recorded_at
)

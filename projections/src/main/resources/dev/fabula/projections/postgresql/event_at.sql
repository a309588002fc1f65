-- The event at one global position, if any (the delivery audit, retries of parked events).
-- Only asked for positions at or below the head of the log, where every position has committed
-- or rolled back, so "no row" means no event holds the position.
-- Parameters: :position
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
WHERE position = :position

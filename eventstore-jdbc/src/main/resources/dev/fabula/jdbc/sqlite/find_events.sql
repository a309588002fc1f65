-- The stored events carrying any of the given ids (an append's idempotency check).
-- Parameters: :event_ids, a JSON array of id strings
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
WHERE event_id IN (SELECT value FROM json_each(:event_ids))

-- The stored events carrying any of the given ids: what a retried append finds (see append.sql).
-- Parameters: :event_ids uuid[]
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
WHERE event_id = ANY(CAST(:event_ids AS uuid[]))

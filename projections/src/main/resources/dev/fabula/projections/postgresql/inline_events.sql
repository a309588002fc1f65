-- The events an append just wrote to one stream, read back inside the appending transaction for
-- inline projections (the shared event column list of the store's read statements).
-- Parameters: :stream_id, :first_version, :last_version
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
  AND stream_version BETWEEN :first_version AND :last_version
ORDER BY stream_version

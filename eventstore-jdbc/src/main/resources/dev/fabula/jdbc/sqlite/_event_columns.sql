-- The event column list every read of events selects, in the order the dialect's event row
-- mapper reads it (Dialect.eventMapper); used as ${event_columns}.
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

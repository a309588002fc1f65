-- The dead-letter columns, in the order the projections map them: what reads select and park_event inserts.
name,
version,
position,
tenant_id,
stream_id,
stream_version,
event_type,
status,
blocked_by,
reason,
attempts,
parked_at_ms,
updated_at_ms

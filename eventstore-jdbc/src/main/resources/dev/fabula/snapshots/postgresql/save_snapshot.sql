-- Save a stream's snapshot in one statement.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :version, :state_schema_version, :state (JSON text), :taken_at
-- Guarantees: the stored row is replaced unless it has the same state schema version and a version
--             at least as high: racing savers keep the newest snapshot, and a snapshot of a new state
--             schema replaces one of an old schema (loads ignore the old one anyway).
--             Fails on the foreign key if the stream does not exist.
INSERT INTO ${schema}.${prefix}snapshots AS s (
    tenant_id,
    stream_id,
    version,
    state_schema_version,
    state,
    taken_at
) VALUES (
    :tenant_id,
    :stream_id,
    :version,
    :state_schema_version,
    CAST(:state AS jsonb),
    :taken_at
)
ON CONFLICT (tenant_id, stream_id) DO UPDATE SET
    version = EXCLUDED.version,
    state_schema_version = EXCLUDED.state_schema_version,
    state = EXCLUDED.state,
    taken_at = EXCLUDED.taken_at
WHERE s.state_schema_version <> EXCLUDED.state_schema_version
   OR s.version < EXCLUDED.version

-- Save a stream's snapshot in one statement.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :version, :state_schema_version, :state (JSON text), :taken_at (micros)
-- Guarantees: the stored row is replaced unless it has the same state schema version and a version
--             at least as high: racing savers keep the newest snapshot, and a snapshot of a new state
--             schema replaces one of an old schema (loads ignore the old one anyway).
--             Fails on the foreign key if the stream does not exist.
INSERT INTO ${prefix}snapshots (
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
    :state,
    :taken_at
)
ON CONFLICT (tenant_id, stream_id) DO UPDATE SET
    version = excluded.version,
    state_schema_version = excluded.state_schema_version,
    state = excluded.state,
    taken_at = excluded.taken_at
WHERE ${prefix}snapshots.state_schema_version <> excluded.state_schema_version
   OR ${prefix}snapshots.version < excluded.version

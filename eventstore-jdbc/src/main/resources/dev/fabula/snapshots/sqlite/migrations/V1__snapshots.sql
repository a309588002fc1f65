-- Fabula snapshot store schema, version 1, SQLite 3.35+ (component "snapshots").
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
-- Applied by JdbcSnapshotStore.create after the event store's own schema.

-- Written for the event store's schema version 2 (streams keyed by tenant and stream id); the
-- event store's migration to version 2 drops a table created by an older text of this file, so it
-- is created anew in this shape.
--
-- Snapshots: at most one per stream, the newest one saved; a cache of the state the stream's
-- events describe. state holds JSON text; taken_at microseconds since the Unix epoch.
-- The foreign key keeps snapshots to streams the store knows (enforced: the store's connections
-- set foreign_keys=true; tombstoned streams keep their row).
CREATE TABLE ${prefix}snapshots (
    tenant_id             TEXT    NOT NULL,
    stream_id             TEXT    NOT NULL,
    version               INTEGER NOT NULL CHECK (version >= 1),
    state_schema_version  INTEGER NOT NULL CHECK (state_schema_version >= 1),
    state                 TEXT    NOT NULL CHECK (json_valid(state)),
    taken_at              INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, stream_id),
    FOREIGN KEY (tenant_id, stream_id) REFERENCES ${prefix}streams (tenant_id, stream_id)
);

-- Fabula snapshot store schema, version 1, SQLite 3.35+ (component "snapshots").
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
-- Applied by JdbcSnapshotStore.create after the event store's own schema.

-- Snapshots: at most one per stream, the newest one saved; a cache of the state the stream's
-- events describe. state holds JSON text; taken_at microseconds since the Unix epoch.
-- The foreign key keeps snapshots to streams the store knows (enforced: the store's connections
-- set foreign_keys=true; tombstoned streams keep their row).
CREATE TABLE ${prefix}snapshots (
    stream_id             TEXT    NOT NULL PRIMARY KEY REFERENCES ${prefix}streams (stream_id),
    version               INTEGER NOT NULL CHECK (version >= 1),
    state_schema_version  INTEGER NOT NULL CHECK (state_schema_version >= 1),
    state                 TEXT    NOT NULL CHECK (json_valid(state)),
    taken_at              INTEGER NOT NULL
);

-- Fabula snapshot store schema, version 1, PostgreSQL 14+ (component "snapshots").
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Applied by JdbcSnapshotStore.create after the event store's own schema.

-- Snapshots: at most one per stream, the newest one saved. A snapshot is a cache of the state the
-- stream's events describe; deleting rows only makes loads replay more events.
--   state_schema_version  the aggregate's state schema version when saved: loads ignore rows of
--                         another version
--   the foreign key       a snapshot only exists for a stream the store knows (tombstoned streams
--                         keep their row, so hard deletes are not blocked: delete the snapshot too)
CREATE TABLE ${schema}.${prefix}snapshots (
    stream_id             text        NOT NULL,
    version               bigint      NOT NULL,
    state_schema_version  integer     NOT NULL,
    state                 jsonb       NOT NULL,
    taken_at              timestamptz NOT NULL,
    CONSTRAINT ${prefix}snapshots_pk PRIMARY KEY (stream_id),
    CONSTRAINT ${prefix}snapshots_stream_fk FOREIGN KEY (stream_id) REFERENCES ${schema}.${prefix}streams (stream_id),
    CONSTRAINT ${prefix}snapshots_version_ck CHECK (version >= 1 AND state_schema_version >= 1)
);

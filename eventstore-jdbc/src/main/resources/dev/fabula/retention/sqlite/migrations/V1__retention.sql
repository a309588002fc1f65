-- Fabula retention schema, version 1, SQLite (component "retention").
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
-- The tables and their purpose are those of the PostgreSQL file. Events are removed through the
-- append-only guard's per-stream escape hatch (hard_delete_permit), as hard deletes are.

CREATE TABLE ${prefix}removals (
    removal_id      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    tenant_id       TEXT    NOT NULL,
    stream_id       TEXT    NOT NULL,
    category        TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('TRUNCATED', 'ARCHIVED')),
    from_version    INTEGER NOT NULL,
    to_version      INTEGER NOT NULL,
    first_position  INTEGER NOT NULL,
    last_position   INTEGER NOT NULL,
    event_count     INTEGER NOT NULL,
    removed_at      INTEGER NOT NULL
);
CREATE INDEX ${prefix}removals_last_position_ix ON ${prefix}removals (last_position);

-- Cold storage. To keep it out of the main file, move old archives out with an attached database
-- (see docs/retention.md).
CREATE TABLE ${prefix}archived_events (
    position        INTEGER NOT NULL PRIMARY KEY,
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    category        TEXT    NOT NULL,
    tenant_id       TEXT    NOT NULL,
    correlation_id  TEXT,
    causation_id    TEXT,
    actor           TEXT,
    metadata        TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    recorded_at     INTEGER NOT NULL,
    CONSTRAINT ${prefix}archived_events_stream_version_uk UNIQUE (tenant_id, stream_id, stream_version)
);

CREATE TABLE ${prefix}archived_streams (
    tenant_id    TEXT    NOT NULL,
    stream_id    TEXT    NOT NULL,
    archived_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, stream_id)
);

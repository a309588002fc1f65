-- Fabula projections schema, version 1, SQLite 3.35+.
-- Placeholder: ${prefix} the event store's table prefix.
-- Applied by JdbcEventStore.migrate, or by Projections.open on a store that migrates on open
-- (component "projections" in ${prefix}schema_version).
-- Times are milliseconds since the Unix epoch on the database's clock (see the PostgreSQL
-- script for the meaning of each column).

CREATE TABLE ${prefix}projection_checkpoints (
    name               TEXT    NOT NULL,
    version            INTEGER NOT NULL CHECK (version >= 1),
    position           INTEGER NOT NULL DEFAULT 0 CHECK (position >= 0),
    owner              TEXT,
    lease_until_ms     INTEGER NOT NULL DEFAULT 0,
    state              TEXT    NOT NULL DEFAULT 'STOPPED'
                       CHECK (state IN ('RUNNING', 'CATCHING_UP', 'STOPPED', 'FAILED', 'REBUILDING')),
    last_error         TEXT,
    failed_position    INTEGER,
    rebuild_requested  INTEGER NOT NULL DEFAULT 0,
    types              TEXT    NOT NULL DEFAULT '[]',
    categories         TEXT    NOT NULL DEFAULT '[]',
    updated_at_ms      INTEGER NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE ${prefix}projection_dead_letters (
    name            TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    event_type      TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('PARKED', 'RETRY', 'APPLIED', 'DISMISSED')),
    blocked_by      INTEGER,
    reason          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    parked_at_ms    INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (name, version, position),
    FOREIGN KEY (name, version) REFERENCES ${prefix}projection_checkpoints (name, version) ON DELETE CASCADE
);

CREATE INDEX ${prefix}projection_dead_letters_stream_ix
    ON ${prefix}projection_dead_letters (name, version, status, stream_id);

CREATE TABLE ${prefix}projection_serving (
    name            TEXT    NOT NULL PRIMARY KEY,
    version         INTEGER NOT NULL,
    switched_at_ms  INTEGER NOT NULL
);

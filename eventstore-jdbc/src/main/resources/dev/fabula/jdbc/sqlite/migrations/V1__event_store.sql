-- Fabula event store schema, version 1, SQLite 3.35+.
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
-- Applied by JdbcEventStore.migrate, `fabula migrate`, or an open with JdbcConfig.withMigrateOnOpen(true);
-- teams on Flyway or Liquibase can take the file over (see docs/operations.md).

-- Streams: one row per stream; the row is the stream's version counter.
CREATE TABLE ${prefix}streams (
    stream_id   TEXT    NOT NULL PRIMARY KEY,
    version     INTEGER NOT NULL,
    tenant_id   TEXT,
    deleted     INTEGER NOT NULL DEFAULT 0
);

-- Events. SQLite has one writer at a time, so positions are handed out in commit order;
-- AUTOINCREMENT makes sure a position is never reused, even after the newest event is erased.
-- recorded_at holds microseconds since the Unix epoch.
CREATE TABLE ${prefix}events (
    position        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    category        TEXT    NOT NULL,
    tenant_id       TEXT,
    correlation_id  TEXT,
    causation_id    TEXT,
    actor           TEXT,
    metadata        TEXT    NOT NULL,
    payload         TEXT    NOT NULL CHECK (json_type(payload) = 'object'),
    recorded_at     INTEGER NOT NULL,
    CONSTRAINT ${prefix}events_stream_version_uk UNIQUE (stream_id, stream_version),
    CONSTRAINT ${prefix}events_event_id_uk UNIQUE (event_id)
);

-- The escape hatch for hard deletes: EventStore.hardDeleteStream inserts a row here, deletes,
-- and removes the row, all in one transaction.
CREATE TABLE ${prefix}hard_delete_permit (
    stream_id TEXT NOT NULL PRIMARY KEY
);

-- Append-only.
CREATE TRIGGER ${prefix}events_no_update
BEFORE UPDATE ON ${prefix}events
BEGIN
    SELECT RAISE(ABORT, 'fabula: UPDATE on events is not allowed: events are append-only');
END;

CREATE TRIGGER ${prefix}events_no_delete
BEFORE DELETE ON ${prefix}events
WHEN NOT EXISTS (SELECT 1 FROM ${prefix}hard_delete_permit WHERE stream_id = OLD.stream_id)
BEGIN
    SELECT RAISE(ABORT, 'fabula: DELETE on events is not allowed: events are append-only; use EventStore.hardDeleteStream to erase a stream');
END;

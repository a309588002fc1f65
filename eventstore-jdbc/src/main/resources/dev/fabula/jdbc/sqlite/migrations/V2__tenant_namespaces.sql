-- Fabula event store schema, version 2, SQLite: a namespace per tenant.
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
--
-- Streams and event ids become unique per tenant rather than per store: two tenants may both own
-- 'order-1', and what one tenant's view reads, writes or is refused never depends on another
-- tenant's streams. tenant_id is '' for streams of no tenant (the unconfined store), so that it
-- can be part of the keys; readers map '' back to "no tenant".
--
-- SQLite cannot change a primary key or a table constraint in place, so both tables are rebuilt
-- (in the migration's transaction). Every event keeps its position, id, stream and version, and
-- the position counter keeps its value, so no position is ever reused. Snapshots are a cache
-- keyed by stream: their table is dropped here and created anew by the snapshot store.

DROP TABLE IF EXISTS ${prefix}snapshots;
DELETE FROM ${prefix}schema_version WHERE component = 'snapshots';

CREATE TABLE ${prefix}streams_v2 (
    tenant_id   TEXT    NOT NULL DEFAULT '',
    stream_id   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, stream_id)
);
INSERT INTO ${prefix}streams_v2 (tenant_id, stream_id, version, deleted)
SELECT COALESCE(tenant_id, ''), stream_id, version, deleted FROM ${prefix}streams;
DROP TABLE ${prefix}streams;
ALTER TABLE ${prefix}streams_v2 RENAME TO ${prefix}streams;

CREATE TABLE ${prefix}events_v2 (
    position        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    event_id        TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    category        TEXT    NOT NULL,
    tenant_id       TEXT    NOT NULL DEFAULT '',
    correlation_id  TEXT,
    causation_id    TEXT,
    actor           TEXT,
    metadata        TEXT    NOT NULL,
    payload         TEXT    NOT NULL CHECK (json_type(payload) = 'object'),
    recorded_at     INTEGER NOT NULL,
    CONSTRAINT ${prefix}events_stream_version_uk UNIQUE (tenant_id, stream_id, stream_version),
    CONSTRAINT ${prefix}events_event_id_uk UNIQUE (tenant_id, event_id)
);
INSERT INTO ${prefix}events_v2 (
    position, stream_id, stream_version, event_id, event_type, schema_version, category, tenant_id,
    correlation_id, causation_id, actor, metadata, payload, recorded_at
)
SELECT
    position, stream_id, stream_version, event_id, event_type, schema_version, category, COALESCE(tenant_id, ''),
    correlation_id, causation_id, actor, metadata, payload, recorded_at
FROM ${prefix}events
ORDER BY position;
-- Keep the counter: erased newest events leave it above the largest position still stored.
UPDATE sqlite_sequence
SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '${prefix}events'), 0))
WHERE name = '${prefix}events_v2';
INSERT INTO sqlite_sequence (name, seq)
SELECT '${prefix}events_v2', seq FROM sqlite_sequence
WHERE name = '${prefix}events'
  AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = '${prefix}events_v2');
DROP TABLE ${prefix}events;
ALTER TABLE ${prefix}events_v2 RENAME TO ${prefix}events;
CREATE INDEX ${prefix}events_tenant_position_ix ON ${prefix}events (tenant_id, position);

CREATE TABLE ${prefix}hard_delete_permit_v2 (
    tenant_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    PRIMARY KEY (tenant_id, stream_id)
);
DROP TABLE ${prefix}hard_delete_permit;
ALTER TABLE ${prefix}hard_delete_permit_v2 RENAME TO ${prefix}hard_delete_permit;

-- Append-only (the triggers went with the old table).
CREATE TRIGGER ${prefix}events_no_update
BEFORE UPDATE ON ${prefix}events
BEGIN
    SELECT RAISE(ABORT, 'fabula: UPDATE on events is not allowed: events are append-only');
END;

CREATE TRIGGER ${prefix}events_no_delete
BEFORE DELETE ON ${prefix}events
WHEN NOT EXISTS (
    SELECT 1 FROM ${prefix}hard_delete_permit WHERE tenant_id = OLD.tenant_id AND stream_id = OLD.stream_id
)
BEGIN
    SELECT RAISE(ABORT, 'fabula: DELETE on events is not allowed: events are append-only; use EventStore.hardDeleteStream to erase a stream');
END;

-- Fabula event store schema, version 1, PostgreSQL 14+.
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Applied by JdbcEventStore.migrate, `fabula migrate`, or an open with JdbcConfig.withMigrateOnOpen(true);
-- teams on Flyway or Liquibase can take the file over (set the placeholders, record the version in
-- <prefix>schema_version, and open the store without migrateOnOpen: see docs/operations.md).

-- Streams: one row per stream. The row is the stream's version counter: appends update it, so
-- concurrent appenders to one stream queue on its row lock and the loser sees the new version.
CREATE TABLE ${schema}.${prefix}streams (
    stream_id   text        NOT NULL,
    version     bigint      NOT NULL,
    tenant_id   text,
    deleted     boolean     NOT NULL DEFAULT false,
    CONSTRAINT ${prefix}streams_pk PRIMARY KEY (stream_id)
);

-- Global positions come from an uncached sequence: values are handed out in call order, and
-- pg_sequence_last_value() tells readers the highest one handed out so far (see the fence in append.sql).
CREATE SEQUENCE ${schema}.${prefix}position_seq AS bigint CACHE 1;

-- Events: append-only (enforced by the triggers below).
-- Indexes and why each keeps appends flat as the table grows:
--   pk (position)                 new positions are the largest: always the right-most leaf
--   (stream_id, stream_version)   one version per stream, enforced by the database
--   (event_id)                    idempotent appends; new ids are time-ordered UUIDs (v7), so
--                                 inserts also land on the right-most leaves
CREATE TABLE ${schema}.${prefix}events (
    position        bigint      NOT NULL DEFAULT nextval('${schema}.${prefix}position_seq'),
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    category        text        NOT NULL,
    tenant_id       text,
    correlation_id  text,
    causation_id    text,
    actor           text,
    metadata        jsonb       NOT NULL,
    payload         jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT ${prefix}events_pk PRIMARY KEY (position),
    CONSTRAINT ${prefix}events_stream_version_uk UNIQUE (stream_id, stream_version),
    CONSTRAINT ${prefix}events_event_id_uk UNIQUE (event_id),
    CONSTRAINT ${prefix}events_payload_object_ck CHECK (jsonb_typeof(payload) = 'object')
);
ALTER SEQUENCE ${schema}.${prefix}position_seq OWNED BY ${schema}.${prefix}events.position;

-- Append-only: updates are refused always, deletes unless the transaction set the escape hatch
-- fabula.allow_hard_delete (EventStore.hardDeleteStream does, with SET LOCAL).
CREATE FUNCTION ${schema}.${prefix}events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('fabula.allow_hard_delete', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'fabula: % on %.% is not allowed: events are append-only; use EventStore.hardDeleteStream to erase a stream',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER ${prefix}events_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ${schema}.${prefix}events
    FOR EACH ROW EXECUTE FUNCTION ${schema}.${prefix}events_append_only();

CREATE TRIGGER ${prefix}events_no_truncate
    BEFORE TRUNCATE ON ${schema}.${prefix}events
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.${prefix}events_append_only();

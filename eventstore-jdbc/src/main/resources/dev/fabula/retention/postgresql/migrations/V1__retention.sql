-- Fabula retention schema, version 1, PostgreSQL 14+ (component "retention").
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Run it as the role that owns the events table (the owner/migrator role of docs/postgresql.md):
-- that role owns the function below, and the function runs with its rights.

-- Removals: one row per stream range that retention took out of the global log (truncated for
-- good, or archived). Log reads consult it: a reader behind a range it concerns is told
-- (TruncatedRangeException) instead of skipping it. Rows are never updated; unarchiving deletes
-- the stream's archive row.
--   removal_id         numbered in commit order (retention transactions take lock_removals.sql
--                      first, so they commit one at a time): a reader that accepts removals
--                      "through" an id can never meet an older id that commits later
--   first/last_position  the smallest and largest removed position (other streams' events between
--                      them stay)
--   (last_position)    the index log reads probe: removals above a reader's position
CREATE TABLE ${schema}.${prefix}removals (
    removal_id      bigint      GENERATED ALWAYS AS IDENTITY,
    tenant_id       text        NOT NULL,
    stream_id       text        NOT NULL,
    category        text        NOT NULL,
    kind            text        NOT NULL,
    from_version    bigint      NOT NULL,
    to_version      bigint      NOT NULL,
    first_position  bigint      NOT NULL,
    last_position   bigint      NOT NULL,
    event_count     bigint      NOT NULL,
    removed_at      timestamptz NOT NULL,
    CONSTRAINT ${prefix}removals_pk PRIMARY KEY (removal_id),
    CONSTRAINT ${prefix}removals_kind_ck CHECK (kind IN ('TRUNCATED', 'ARCHIVED'))
);
CREATE INDEX ${prefix}removals_last_position_ix ON ${schema}.${prefix}removals (last_position);

-- Cold storage: archived streams' events, with the events table's columns, moved here in one
-- transaction with the delete from the events table. A plain table rather than a partition of the
-- events table (see docs/retention.md): move it to cheap storage with ALTER TABLE ... SET
-- TABLESPACE, or export and delete rows of streams you will never unarchive.
CREATE TABLE ${schema}.${prefix}archived_events (
    position        bigint      NOT NULL,
    stream_id       text        NOT NULL,
    stream_version  bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    category        text        NOT NULL,
    tenant_id       text        NOT NULL,
    correlation_id  text,
    causation_id    text,
    actor           text,
    metadata        jsonb       NOT NULL,
    payload         jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL,
    CONSTRAINT ${prefix}archived_events_pk PRIMARY KEY (position),
    CONSTRAINT ${prefix}archived_events_stream_version_uk UNIQUE (tenant_id, stream_id, stream_version)
);

-- Archived streams: the mark that makes normal reads say "archived" (the stream row is also
-- marked deleted, so appends are refused).
CREATE TABLE ${schema}.${prefix}archived_streams (
    tenant_id    text        NOT NULL,
    stream_id    text        NOT NULL,
    archived_at  timestamptz NOT NULL,
    CONSTRAINT ${prefix}archived_streams_pk PRIMARY KEY (tenant_id, stream_id)
);

-- Removes one stream's events below a version (in one tenant's namespace, '' for none) with the
-- owner's rights, past the append-only guard, and returns how many it removed. The caller records
-- the removal in the same transaction.
CREATE FUNCTION ${schema}.${prefix}retention_delete_events(removed_tenant_id text, removed_stream_id text, before_version bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    PERFORM set_config('fabula.allow_hard_delete', 'on', true);
    DELETE FROM ${schema}.${prefix}events
    WHERE tenant_id = removed_tenant_id AND stream_id = removed_stream_id AND stream_version < before_version;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('fabula.allow_hard_delete', 'off', true);
    RETURN removed;
END;
$$;

-- Functions are executable by PUBLIC unless revoked: grant EXECUTE to the roles that run retention.
REVOKE ALL ON FUNCTION ${schema}.${prefix}retention_delete_events(text, text, bigint) FROM PUBLIC;

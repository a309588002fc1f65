-- Fabula projections schema, version 3, SQLite: dead letters keyed by tenant and stream.
-- Since event store schema 2, each tenant has a namespace of its own: acme's 'order-1' and
-- globex's 'order-1' are two streams, so the dead letters name a stream by (tenant_id, stream_id)
-- (see the PostgreSQL script). tenant_id is '' for an event of no tenant. Rows from version 2 take
-- the tenant of their event; a row whose event was erased keeps ''.
ALTER TABLE ${qualified_prefix}projection_dead_letters ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '';

UPDATE ${qualified_prefix}projection_dead_letters
SET tenant_id = COALESCE(
    (SELECT e.tenant_id FROM ${qualified_prefix}events AS e
     WHERE e.position = ${qualified_prefix}projection_dead_letters.position), '');

DROP INDEX ${qualified_prefix}projection_dead_letters_stream_ix;

CREATE INDEX ${prefix}projection_dead_letters_stream_ix
    ON ${qualified_prefix}projection_dead_letters (name, version, status, tenant_id, stream_id);

-- Fabula projections schema, version 3, PostgreSQL 14+: dead letters keyed by tenant and stream.
-- Since event store schema 2, each tenant has a namespace of its own: acme's 'order-1' and
-- globex's 'order-1' are two streams. A projection holds back the later events of a stream with a
-- parked event, so the dead letters must name the stream by (tenant_id, stream_id), or a parked
-- event of one tenant's stream would hold back another tenant's stream of the same id.
--   tenant_id  the event's tenant; '' for an event of no tenant (the unconfined store)
-- Rows from version 2 take the tenant of their event; a row whose event was erased keeps ''.
ALTER TABLE ${qualified_prefix}projection_dead_letters ADD COLUMN tenant_id text NOT NULL DEFAULT '';

UPDATE ${qualified_prefix}projection_dead_letters AS d
SET tenant_id = e.tenant_id
FROM ${qualified_prefix}events AS e
WHERE e.position = d.position;

DROP INDEX ${schema}.${prefix}projection_dead_letters_stream_ix;

CREATE INDEX ${prefix}projection_dead_letters_stream_ix
    ON ${qualified_prefix}projection_dead_letters (name, version, status, tenant_id, stream_id);

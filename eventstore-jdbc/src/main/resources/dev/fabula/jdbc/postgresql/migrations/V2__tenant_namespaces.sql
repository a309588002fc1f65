-- Fabula event store schema, version 2: a namespace per tenant.
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
--
-- Streams and event ids become unique per tenant rather than per store: two tenants may both own
-- 'order-1', and what one tenant's view reads, writes or is refused never depends on another
-- tenant's streams. tenant_id is '' for streams of no tenant (the unconfined store), so that it
-- can be part of the keys; readers map '' back to "no tenant".
--
-- Upgrading a version-1 store rewrites every row once (the events table's append-only trigger is
-- disabled for that one UPDATE, inside the migration's transaction) and rebuilds its unique
-- indexes: on a large store, run it in a maintenance window. Every event keeps its position, id,
-- stream and version; a version-1 stream of a tenant moves into that tenant's namespace.

-- Snapshots are a cache keyed by stream: their table (and its foreign key to the streams' old key)
-- is dropped here and created anew by the snapshot store.
DROP TABLE IF EXISTS ${schema}.${prefix}snapshots;
DELETE FROM ${schema}.${prefix}schema_version WHERE component = 'snapshots';

UPDATE ${schema}.${prefix}streams SET tenant_id = '' WHERE tenant_id IS NULL;
ALTER TABLE ${schema}.${prefix}streams ALTER COLUMN tenant_id SET DEFAULT '';
ALTER TABLE ${schema}.${prefix}streams ALTER COLUMN tenant_id SET NOT NULL;
ALTER TABLE ${schema}.${prefix}streams DROP CONSTRAINT ${prefix}streams_pk;
ALTER TABLE ${schema}.${prefix}streams ADD CONSTRAINT ${prefix}streams_pk PRIMARY KEY (tenant_id, stream_id);

ALTER TABLE ${schema}.${prefix}events DISABLE TRIGGER ${prefix}events_no_update_or_delete;
UPDATE ${schema}.${prefix}events SET tenant_id = '' WHERE tenant_id IS NULL;
ALTER TABLE ${schema}.${prefix}events ENABLE TRIGGER ${prefix}events_no_update_or_delete;
ALTER TABLE ${schema}.${prefix}events ALTER COLUMN tenant_id SET DEFAULT '';
ALTER TABLE ${schema}.${prefix}events ALTER COLUMN tenant_id SET NOT NULL;

-- Indexes and why each keeps appends flat as the table grows (see version 1):
--   (tenant_id, stream_id, stream_version)   one version per stream of a namespace
--   (tenant_id, event_id)                    idempotent appends per namespace; ids are time-ordered
--   (tenant_id, position)                    a tenant's log reads and head, however dormant the
--                                            tenant: new positions are the largest of their tenant
ALTER TABLE ${schema}.${prefix}events DROP CONSTRAINT ${prefix}events_stream_version_uk;
ALTER TABLE ${schema}.${prefix}events ADD CONSTRAINT ${prefix}events_stream_version_uk UNIQUE (tenant_id, stream_id, stream_version);
ALTER TABLE ${schema}.${prefix}events DROP CONSTRAINT ${prefix}events_event_id_uk;
ALTER TABLE ${schema}.${prefix}events ADD CONSTRAINT ${prefix}events_event_id_uk UNIQUE (tenant_id, event_id);
CREATE INDEX ${prefix}events_tenant_position_ix ON ${schema}.${prefix}events (tenant_id, position);

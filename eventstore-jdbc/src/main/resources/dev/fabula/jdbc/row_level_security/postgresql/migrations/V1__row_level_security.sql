-- Fabula row-level security, version 1, PostgreSQL 14+ (component "row_level_security"): optional,
-- applied only when migrating with JdbcConfig.withRowLevelSecurity(true) (or `fabula migrate
-- --row-level-security`), after the event store's and the snapshot store's tables.
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Run it as the role that owns the tables.
--
-- Every table keyed by tenant gets one policy for every command: a row is visible, and may be
-- written, only when its tenant_id is the tenant the transaction set (set_tenant.sql:
-- set_config('fabula.tenant_id', …, true), which the store runs first in each unit of work). With no
-- tenant set, that is '' (the unconfined store's namespace): never another tenant's rows. A
-- connection that once set the tenant reads the setting back as '' after its transaction ended,
-- so "never set" and "set by an earlier transaction" behave alike: fail closed to ''.
--
-- Policies bind every role except the tables' owner (which runs the migrations and the
-- SECURITY DEFINER hard delete) and roles with BYPASSRLS (operators, cross-tenant projections).
-- The read horizon is unaffected: the sequence and pg_locks are outside the policies, and
-- MAX(position) over the rows a tenant may see is a horizon at or below the store's, so a reader
-- still never passes an event that may commit later.

ALTER TABLE ${schema}.${prefix}events ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}events_tenant ON ${schema}.${prefix}events
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

ALTER TABLE ${schema}.${prefix}streams ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}streams_tenant ON ${schema}.${prefix}streams
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

ALTER TABLE ${schema}.${prefix}snapshots ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}snapshots_tenant ON ${schema}.${prefix}snapshots
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

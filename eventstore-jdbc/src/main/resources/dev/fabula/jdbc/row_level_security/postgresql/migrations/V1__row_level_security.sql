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

-- The hard delete runs as the owner, which the policies do not bind, and takes the tenant as an
-- argument: it now refuses to erase another tenant's stream than the one the transaction set,
-- unless the session's role is exempt from the policies itself (the owner, a superuser, a role
-- with BYPASSRLS). The same function as version 3 of the event store's schema otherwise; replacing
-- it keeps its owner and its EXECUTE grants.
CREATE OR REPLACE FUNCTION ${schema}.${prefix}hard_delete_stream(erased_tenant_id text, erased_stream_id text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    erased bigint;
BEGIN
    IF erased_tenant_id IS DISTINCT FROM COALESCE(current_setting('fabula.tenant_id', true), '')
        AND NOT EXISTS (
            SELECT 1
            FROM pg_catalog.pg_roles r
            WHERE r.rolname = session_user
              AND (r.rolsuper OR r.rolbypassrls
                   OR r.oid = (SELECT c.relowner FROM pg_catalog.pg_class c
                               WHERE c.oid = CAST('${schema}.${prefix}events' AS regclass)))) THEN
        RAISE EXCEPTION 'fabula: row-level security: this transaction''s tenant may erase only its own streams'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('fabula.allow_hard_delete', 'on', true);
    DELETE FROM ${schema}.${prefix}events WHERE tenant_id = erased_tenant_id AND stream_id = erased_stream_id;
    GET DIAGNOSTICS erased = ROW_COUNT;
    PERFORM set_config('fabula.allow_hard_delete', 'off', true);
    RETURN erased;
END;
$$;

-- Fabula row-level security, version 2, PostgreSQL 14+ (component "row_level_security"): the
-- policies of version 1 on the tenant-keyed tables of the personal data, erasure and retention
-- components, which hold data keys, erasure records and removed or archived events.
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Run it as the role that owns the tables.
--
-- Order: these tables must exist first. The store applies this component only after opening the
-- snapshot, personal data, erasure and retention components (RowLevelSecurity.ensure creates
-- them when it migrates), so it holds whichever component was migrated first: a database migrated
-- without row-level security gets all the policies when it is migrated with it, and a database at
-- version 1 gets these when it is migrated again. Flyway and Liquibase users run this script after
-- those components' migrations.
--
-- Not covered, on purpose: <prefix>erasure_secret is one store-wide key, not a tenant's row; every
-- tenant's unit of work reads it to hash ids (docs/personal-data.md, "Tombstones hold a hash").
-- Policies bind every role but the tables' owner and roles with BYPASSRLS, as in version 1.

ALTER TABLE ${schema}.${prefix}personal_data_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}personal_data_keys_tenant ON ${schema}.${prefix}personal_data_keys
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

ALTER TABLE ${schema}.${prefix}erasures ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}erasures_tenant ON ${schema}.${prefix}erasures
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

ALTER TABLE ${schema}.${prefix}removals ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}removals_tenant ON ${schema}.${prefix}removals
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

ALTER TABLE ${schema}.${prefix}archived_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}archived_events_tenant ON ${schema}.${prefix}archived_events
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

ALTER TABLE ${schema}.${prefix}archived_streams ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${prefix}archived_streams_tenant ON ${schema}.${prefix}archived_streams
    USING (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''))
    WITH CHECK (tenant_id = COALESCE(current_setting('fabula.tenant_id', true), ''));

-- Retention removes events through a function that runs as the owner and takes the tenant as an
-- argument, like the hard delete: it now refuses another tenant than the one the transaction set,
-- unless the session's role is exempt from the policies itself (the owner, a superuser, a role
-- with BYPASSRLS). The same function as version 1 of the retention schema otherwise; replacing it
-- keeps its owner and its EXECUTE grants.
CREATE OR REPLACE FUNCTION ${schema}.${prefix}retention_delete_events(removed_tenant_id text, removed_stream_id text, before_version bigint)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    removed bigint;
BEGIN
    IF removed_tenant_id IS DISTINCT FROM COALESCE(current_setting('fabula.tenant_id', true), '')
        AND NOT EXISTS (
            SELECT 1
            FROM pg_catalog.pg_roles r
            WHERE r.rolname = session_user
              AND (r.rolsuper OR r.rolbypassrls
                   OR r.oid = (SELECT c.relowner FROM pg_catalog.pg_class c
                               WHERE c.oid = CAST('${schema}.${prefix}events' AS regclass)))) THEN
        RAISE EXCEPTION 'fabula: row-level security: this transaction''s tenant may remove only its own events'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('fabula.allow_hard_delete', 'on', true);
    DELETE FROM ${schema}.${prefix}events
    WHERE tenant_id = removed_tenant_id AND stream_id = removed_stream_id AND stream_version < before_version;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('fabula.allow_hard_delete', 'off', true);
    RETURN removed;
END;
$$;

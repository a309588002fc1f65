-- Tenant fences, for moving a tenant between databases (TenantMove; docs/tenant-databases.md).
--
-- A fence refuses every write of one tenant in this database: appends, soft and hard deletes all
-- change the tenant's row in the streams table, where the trigger below (attached by the first
-- move, tenant_fence_trigger_create.sql) raises SQLState FB001, which the store reports as a
-- TenantMovingException. Nothing is written, so the writer may retry.
--   kind         'out': the tenant is leaving or has left this database; kept after the move, so a
--                process with a stale placement can never write here again
--                'in': a move is copying the tenant into this database; only the move's own
--                transactions write (they set fabula.tenant_move to the tenant), until the switch
--   database     the other database of the move, for operators
CREATE TABLE ${schema}.${prefix}migration_tenant_fences (
    tenant_id   text        NOT NULL,
    kind        text        NOT NULL,
    database    text        NOT NULL,
    fenced_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ${prefix}migration_tenant_fences_pk PRIMARY KEY (tenant_id),
    CONSTRAINT ${prefix}migration_tenant_fences_kind_ck CHECK (kind IN ('in', 'out'))
);

-- Runs with its owner's rights and a fixed search_path (as the capture function does), so that the
-- application's role needs no right on the fence table.
CREATE FUNCTION ${schema}.${prefix}migration_tenant_fence() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    tenant text := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM ${schema}.${prefix}migration_tenant_fences f WHERE f.tenant_id = tenant)
       AND COALESCE(current_setting('fabula.tenant_move', true), '') <> tenant THEN
        RAISE EXCEPTION USING ERRCODE = 'FB001',
            MESSAGE = 'the tenant''s writes are fenced in this database: it is being moved between databases';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

REVOKE EXECUTE ON FUNCTION ${schema}.${prefix}migration_tenant_fence() FROM PUBLIC;

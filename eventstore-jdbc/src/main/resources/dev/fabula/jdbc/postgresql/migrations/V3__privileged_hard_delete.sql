-- Fabula event store schema, version 3, PostgreSQL 14+: only the schema's owner may erase events.
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Run it as the role that owns the tables (the owner/migrator role of docs/postgresql.md): that role
-- owns the function below, and the function runs with its rights.
--
-- Before, any role allowed to DELETE could open the escape hatch itself (SET LOCAL
-- fabula.allow_hard_delete = 'on') and delete events. Now a delete passes the append-only guard only
-- when the events table's owner runs it with the hatch open, which is what hard_delete_stream()
-- does; EventStore.hardDeleteStream calls it. A role that is not the owner cannot delete events by
-- any means, and may erase a stream only if it was granted EXECUTE on the function.

CREATE OR REPLACE FUNCTION ${schema}.${prefix}events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
        AND current_setting('fabula.allow_hard_delete', true) = 'on'
        AND (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID)
            = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'fabula: % on %.% is not allowed: events are append-only; use EventStore.hardDeleteStream to erase a stream',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

-- Erases one stream's events (in one tenant's namespace, '' for none) with the owner's rights and returns how many it erased. The caller
-- writes the tombstone (streams table) in the same transaction.
CREATE FUNCTION ${schema}.${prefix}hard_delete_stream(erased_tenant_id text, erased_stream_id text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    erased bigint;
BEGIN
    PERFORM set_config('fabula.allow_hard_delete', 'on', true);
    DELETE FROM ${schema}.${prefix}events WHERE tenant_id = erased_tenant_id AND stream_id = erased_stream_id;
    GET DIAGNOSTICS erased = ROW_COUNT;
    PERFORM set_config('fabula.allow_hard_delete', 'off', true);
    RETURN erased;
END;
$$;

-- Functions are executable by PUBLIC unless revoked: grant EXECUTE to the roles that may erase.
REVOKE ALL ON FUNCTION ${schema}.${prefix}hard_delete_stream(text, text) FROM PUBLIC;

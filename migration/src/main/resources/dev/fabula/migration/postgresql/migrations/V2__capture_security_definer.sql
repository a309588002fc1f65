-- The capture trigger function runs with the rights of its owner (the role that created the
-- toolkit's tables), not those of the legacy app's role that wrote the row: the legacy role needs
-- no right on the capture table, so capture never makes a legacy write fail. A fixed search_path
-- (every name in the function is qualified) keeps a writer's own schemas out of it, and only the
-- owner may attach the function to a table.

ALTER FUNCTION ${schema}.${prefix}migration_capture() SECURITY DEFINER;

ALTER FUNCTION ${schema}.${prefix}migration_capture() SET search_path = pg_catalog, pg_temp;

REVOKE EXECUTE ON FUNCTION ${schema}.${prefix}migration_capture() FROM PUBLIC;

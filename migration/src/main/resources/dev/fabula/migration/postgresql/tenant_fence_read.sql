-- A tenant's fence in this database, if it has one: its kind and the other database of the move.
-- Parameters: :tenant_id
SELECT
    kind,
    database
FROM ${qualified_prefix}migration_tenant_fences
WHERE tenant_id = :tenant_id

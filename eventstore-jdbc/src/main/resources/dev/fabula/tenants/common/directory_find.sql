-- One tenant's entry in the tenant directory.
-- Parameters: :tenant_id
-- Returns:    zero or one row (tenant_id, database_name, moving_to).
SELECT
    tenant_id,
    database_name,
    moving_to
FROM ${qualified_prefix}tenant_directory
WHERE tenant_id = :tenant_id

-- Every entry of the tenant directory, by tenant id.
-- Returns: rows (tenant_id, database_name, moving_to).
SELECT
    tenant_id,
    database_name,
    moving_to
FROM ${qualified_prefix}tenant_directory
ORDER BY tenant_id

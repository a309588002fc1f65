-- Places a tenant in a database unless the directory already places it: the first placement wins
-- (two processes placing a new tenant at once agree on the entry that was stored first).
-- Parameters: :tenant_id, :database_name
-- Returns:    the number of rows inserted (0 when the tenant was already placed).
INSERT INTO ${qualified_prefix}tenant_directory (
    tenant_id,
    database_name
)
VALUES (
    :tenant_id,
    :database_name
)
ON CONFLICT (tenant_id) DO NOTHING

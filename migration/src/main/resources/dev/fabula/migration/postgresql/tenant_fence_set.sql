-- Sets (or changes) a tenant's fence.
-- Parameters: :tenant_id, :kind ('in' or 'out'), :database (the other database of the move)
INSERT INTO ${qualified_prefix}migration_tenant_fences (
    tenant_id,
    kind,
    database
)
VALUES (
    :tenant_id,
    :kind,
    :database
)
ON CONFLICT (tenant_id) DO UPDATE
    SET kind = EXCLUDED.kind,
        database = EXCLUDED.database,
        fenced_at = now()

-- Lifts a tenant's fence of one kind.
-- Parameters: :tenant_id, :kind
DELETE FROM ${qualified_prefix}migration_tenant_fences
WHERE tenant_id = :tenant_id
  AND kind = :kind

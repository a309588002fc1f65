-- A page of the audit table, newest first (keyset: ids below :before_id).
-- Parameters: :before_id, :tenant_id ('' for none), :any_tenant (true: every tenant), :limit
-- Returns:    id, at, actor, action, target, tenant_id, outcome.
SELECT
    id,
    at,
    actor,
    action,
    target,
    tenant_id,
    outcome
FROM ${qualified_prefix}console_audit
WHERE id < :before_id
  AND (:any_tenant OR tenant_id = :tenant_id)
ORDER BY id DESC
LIMIT :limit

-- A tenant's head: its newest event at or below the read horizon, so other tenants' appends never
-- move it. Served by the (tenant_id, position) index however dormant the tenant.
-- Parameters: :tenant_id, :horizon (from the dialect's safe horizon)
SELECT COALESCE(MAX(position), 0)
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND position <= :horizon

-- Records one console action.
-- Parameters: :at, :actor, :action, :target, :tenant_id ('' for none), :outcome
-- Returns:    the new row's id.
INSERT INTO ${qualified_prefix}console_audit (
    at,
    actor,
    action,
    target,
    tenant_id,
    outcome
) VALUES (
    :at,
    :actor,
    :action,
    :target,
    :tenant_id,
    :outcome
)
RETURNING id

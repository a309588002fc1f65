-- Records one erasure.
-- Parameters: :id, :tenant_id (the namespace; '' for none), :kind, :target_hash, :erased_at,
--             :requested_by, :counts (JSON object as text)
INSERT INTO ${qualified_prefix}erasures (
    id,
    tenant_id,
    kind,
    target_hash,
    erased_at,
    requested_by,
    counts
) VALUES (
    :id,
    :tenant_id,
    :kind,
    :target_hash,
    :erased_at,
    :requested_by,
    :counts
)

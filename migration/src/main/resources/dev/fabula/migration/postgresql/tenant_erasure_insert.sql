-- Copies one erasure record of a moving tenant into this database, unless it is there already.
-- Parameters: :id, :tenant_id, :kind, :target_hash, :erased_at, :requested_by, :counts
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
ON CONFLICT (id) DO NOTHING

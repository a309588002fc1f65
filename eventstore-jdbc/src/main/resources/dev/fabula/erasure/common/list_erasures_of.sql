-- The erasure records of one target of a tenant, newest first.
-- Parameters: :tenant_id (the namespace; '' for none), :target_hash, :limit
SELECT
    id,
    kind,
    target_hash,
    erased_at,
    requested_by,
    counts
FROM ${qualified_prefix}erasures
WHERE tenant_id = :tenant_id
  AND target_hash = :target_hash
ORDER BY erased_at DESC, id DESC
LIMIT :limit

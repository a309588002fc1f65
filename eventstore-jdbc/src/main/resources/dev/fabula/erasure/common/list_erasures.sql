-- A tenant's erasure records, newest first.
-- Parameters: :tenant_id (the namespace; '' for none), :limit
SELECT
    id,
    kind,
    target_hash,
    erased_at,
    requested_by,
    counts
FROM ${qualified_prefix}erasures
WHERE tenant_id = :tenant_id
ORDER BY erased_at DESC, id DESC
LIMIT :limit

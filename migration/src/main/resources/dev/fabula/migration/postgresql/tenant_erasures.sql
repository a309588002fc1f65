-- A tenant's erasure records (they hold hashes and counts, never the erased ids), to copy them.
-- Parameters: :tenant_id
SELECT
    id,
    tenant_id,
    kind,
    target_hash,
    erased_at,
    requested_by,
    counts
FROM ${qualified_prefix}erasures
WHERE tenant_id = :tenant_id
ORDER BY id

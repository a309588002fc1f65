-- A tenant's data keys and erasure records for a move's parity check: one row per data subject
-- (its key versions, and a hash of their versions, ids and bytes) and one for the erasure records,
-- if it has any (their count, and a hash of their ids, kinds and target hashes).
-- The erasure records' part; TenantKeys joins it after the keys' part with UNION ALL where both tables exist.
-- Parameters: :tenant_id
SELECT
    'erasures' AS item,
    COUNT(*) AS versions,
    md5(COALESCE(string_agg(r.id || '|' || r.kind || '|' || r.target_hash, ',' ORDER BY r.id), '')) AS content_hash
FROM ${qualified_prefix}erasures r
WHERE r.tenant_id = :tenant_id
HAVING COUNT(*) > 0

-- A tenant's data keys and erasure records for a move's parity check: one row per data subject
-- (its key versions, and a hash of their versions, ids and bytes) and one for the erasure records,
-- if it has any (their count, and a hash of their ids, kinds and target hashes).
-- The data keys' part; TenantKeys joins it to the erasures' part with UNION ALL where both tables exist.
-- Parameters: :tenant_id
SELECT
    'key:' || k.subject_id AS item,
    COUNT(*) AS versions,
    md5(string_agg(CAST(k.version AS text) || '|' || k.key_id || '|' || encode(k.key_bytes, 'hex'), ',' ORDER BY k.version))
        AS content_hash
FROM ${qualified_prefix}personal_data_keys k
WHERE k.tenant_id = :tenant_id
GROUP BY k.subject_id

-- A tenant's data keys and erasure records for a move's parity check: one row per data subject
-- (its key versions, and a hash of their versions, ids and bytes) and one for the erasure records,
-- if it has any (their count, and a hash of their ids, kinds and target hashes).
-- Neither table exists: no rows.
-- Parameters: :tenant_id (unused)
SELECT
    CAST(NULL AS text) AS item,
    CAST(0 AS bigint) AS versions,
    CAST(NULL AS text) AS content_hash
WHERE false
  AND CAST(:tenant_id AS text) IS NOT NULL

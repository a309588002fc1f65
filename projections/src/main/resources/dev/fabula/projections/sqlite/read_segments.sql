-- The segments of a projection version, lowest first, with the database's clock.
-- Parameters: :name, :version
-- Returns: one row per segment; none for a projection that is not segmented.
SELECT
    segment,
    mask,
    position,
    owner,
    lease_until_ms,
    fencing_token,
    state,
    last_error,
    failed_position,
    skip_segment,
    skip_mask,
    skip_until,
    updated_at_ms,
    CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) AS now_ms
FROM ${qualified_prefix}projection_segments
WHERE name = :name
  AND version = :version
ORDER BY segment

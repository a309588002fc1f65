-- Rebuild of a segmented projection, in the transaction that locked every segment
-- (lock_segments.sql) and ran the reset hook: every segment back to 0, REBUILDING, no skip. The
-- caller (the holder of :segment) keeps its lease; every other holder's is revoked (owner cleared,
-- token bumped), so its next write fails and it claims again from 0.
-- Parameters: :name, :version, :segment, :lease_ms
-- Returns: the number of segments reset.
UPDATE ${qualified_prefix}projection_segments
SET position = 0,
    state = 'REBUILDING',
    last_error = NULL,
    failed_position = NULL,
    skip_segment = NULL,
    skip_mask = NULL,
    skip_until = NULL,
    owner = CASE WHEN segment = :segment THEN owner ELSE NULL END,
    lease_until_ms = CASE WHEN segment = :segment THEN CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + :lease_ms ELSE 0 END,
    fencing_token = CASE WHEN segment = :segment THEN fencing_token ELSE fencing_token + 1 END,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version

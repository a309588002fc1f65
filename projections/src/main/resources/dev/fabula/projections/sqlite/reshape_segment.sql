-- A split or merge changes a segment (in the transaction that locked it, lock_segments.sql): its
-- mask, checkpoint, state and skip, with its lease revoked (owner cleared, a new fencing token),
-- so that its holder's next write fails and any runner claims it afresh.
-- Parameters: :name, :version, :segment, :mask, :position, :state, :fencing_token,
--             :skip_segment, :skip_mask, :skip_until
-- Returns: the number of rows updated.
UPDATE ${qualified_prefix}projection_segments
SET mask = :mask,
    position = :position,
    state = :state,
    owner = NULL,
    lease_until_ms = 0,
    fencing_token = :fencing_token,
    skip_segment = :skip_segment,
    skip_mask = :skip_mask,
    skip_until = :skip_until,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND segment = :segment

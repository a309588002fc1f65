-- First statement of every transaction that applies a segment's events or changes its checkpoint
-- (after limit_transaction.sql): proves the caller still holds the segment's lease with its token
-- and that the checkpoint is still the position it read, locks the row until commit, extends the lease.
-- Parameters: :name, :version, :segment, :owner, :fencing_token, :position (the checkpoint read), :lease_ms
-- Returns: state and the projection's rebuild request; no row when the lease, the position or the
--          segment itself (split or merged meanwhile: its token moved on) was lost: roll back.
UPDATE ${qualified_prefix}projection_segments
SET lease_until_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + :lease_ms
WHERE name = :name
  AND version = :version
  AND segment = :segment
  AND owner = :owner
  AND fencing_token = :fencing_token
  AND position = :position
RETURNING
    state,
    (SELECT c.rebuild_requested FROM ${qualified_prefix}projection_checkpoints AS c
     WHERE c.name = :name AND c.version = :version) AS rebuild_requested

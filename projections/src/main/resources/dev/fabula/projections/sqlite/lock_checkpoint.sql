-- First statement of every transaction that applies events or changes the checkpoint: proves the
-- caller still holds the lease and that the checkpoint is still the position it read, locks the
-- row until commit (a takeover waits for this transaction, then sees the extended lease), and
-- extends the lease.
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :position (the checkpoint the caller read), :lease_ms
-- Returns: rebuild_requested, state; no row when the lease or the position was lost: the caller
--          must roll back and stop applying.
UPDATE ${qualified_prefix}projection_checkpoints
SET lease_until_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + :lease_ms
WHERE name = :name
  AND version = :version
  AND owner = :owner
  AND fencing_token = :fencing_token
  AND position = :position
RETURNING
    rebuild_requested,
    state

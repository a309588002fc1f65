-- Record the holder's state without moving the checkpoint (caught up, rebuild finished).
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :state
-- Returns: the number of rows updated; 0 when the lease was lost.
UPDATE ${qualified_prefix}projection_checkpoints
SET state = :state,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND owner = :owner
  AND fencing_token = :fencing_token

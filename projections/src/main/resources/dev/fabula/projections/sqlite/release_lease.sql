-- Give a lease back (the runner stops): another runner may take it at once.
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with)
-- Guarantee: only the holder releases; FAILED and REBUILDING survive for the next holder.
UPDATE ${qualified_prefix}projection_checkpoints
SET owner = NULL,
    lease_until_ms = 0,
    state = CASE WHEN state IN ('FAILED', 'REBUILDING') THEN state ELSE 'STOPPED' END,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND owner = :owner
  AND fencing_token = :fencing_token

-- Take the lease of a projection version when it is free, expired, or already the caller's, and
-- bump its fencing token.
-- Parameters: :name, :version, :owner, :lease_ms (the lease's length)
-- Returns: the checkpoint row (position, state, rebuild_requested) and the new fencing_token when
--          the lease is now the caller's; no row while another runner holds a lease that has not
--          expired.
-- Guarantee: the test and the write are one statement, on the database's clock; a concurrent
-- taker waits for the write lock and then sees the new owner, so two runners never both succeed.
UPDATE ${qualified_prefix}projection_checkpoints
SET owner = :owner,
    fencing_token = fencing_token + 1,
    lease_until_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + :lease_ms,
    state = CASE WHEN state IN ('FAILED', 'REBUILDING') THEN state ELSE 'CATCHING_UP' END,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND (owner IS NULL OR owner = :owner OR lease_until_ms < CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER))
RETURNING
    position,
    state,
    rebuild_requested,
    fencing_token

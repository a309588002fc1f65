-- Take the lease of a projection version when it is free, expired, or already the caller's, and
-- bump its fencing token.
-- Parameters: :name, :version, :owner, :lease_ms (the lease's length)
-- Returns: the checkpoint row (position, state, rebuild_requested) and the new fencing_token when
--          the lease is now the caller's; no row while another runner holds a lease that has not
--          expired, or while another transaction holds the row.
-- Guarantee: the test and the write are one statement, on the database's clock. SKIP LOCKED: a
-- taker never queues behind the row lock of a holder's open batch (a holder frozen mid-batch would
-- block it for as long as its connection lives); it finds no row, stands by and tries again, and
-- the frozen holder's transaction ends when the server's idle_in_transaction_session_timeout
-- (limit_transaction.sql) kills it. Two takers never both succeed: the second skips or waits for
-- nothing, and sees the new owner's live lease.
UPDATE ${qualified_prefix}projection_checkpoints
SET owner = :owner,
    fencing_token = fencing_token + 1,
    lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms,
    state = CASE WHEN state IN ('FAILED', 'REBUILDING') THEN state ELSE 'CATCHING_UP' END,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE (name, version) IN (
    SELECT
        name,
        version
    FROM ${qualified_prefix}projection_checkpoints
    WHERE name = :name
      AND version = :version
      AND (owner IS NULL OR owner = :owner OR lease_until_ms < CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint))
    FOR UPDATE SKIP LOCKED
)
RETURNING
    position,
    state,
    rebuild_requested,
    fencing_token

-- First statement of every transaction of a projection runner that takes the checkpoint row's lock
-- (PostgreSQL only): bounds how long a paused or frozen runner can hold that lock.
-- Parameters: :idle_ms (idle_in_transaction_session_timeout: the server ends the session of a
--             transaction left idle this long, so a holder frozen mid-batch, SIGSTOP or a hung
--             handler, loses its transaction and row lock); :lock_ms (lock_timeout: the runner
--             never waits longer than this for a lock). Both are the lease's length.
-- Returns: one row (the values set); both settings are local to the transaction (set_config's
--          is_local), so the pooled connection goes back to the pool as it was.
SELECT
    set_config('idle_in_transaction_session_timeout', CAST(:idle_ms AS text), true) AS idle_timeout,
    set_config('lock_timeout', CAST(:lock_ms AS text), true) AS lock_timeout

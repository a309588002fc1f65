-- Reset the checkpoint to 0 for a rebuild, in the transaction that ran the reset hook (fenced).
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :read (the position the caller read), :lease_ms
-- Returns: the number of rows updated; 0 when the lease was lost.
UPDATE ${qualified_prefix}projection_checkpoints
SET position = 0,
    state = 'REBUILDING',
    rebuild_requested = FALSE,
    last_error = NULL,
    failed_position = NULL,
    lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND position = :read
  AND owner = :owner
  AND fencing_token = :fencing_token

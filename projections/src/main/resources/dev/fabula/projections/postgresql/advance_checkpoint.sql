-- Move the checkpoint: the last statement of the transaction that applied the events.
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :read (the position the caller read), :position (the last
--             position it received from readAll and applied or parked), :state, :lease_ms
-- Returns: the number of rows updated. 0 means another runner took the lease or moved the
--          checkpoint: the caller rolls back (its effects with it) and fails loudly.
UPDATE ${qualified_prefix}projection_checkpoints
SET position = :position,
    state = :state,
    last_error = NULL,
    failed_position = NULL,
    lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND position = :read
  AND owner = :owner
  AND fencing_token = :fencing_token

-- A projection version's checkpoint row, read in a write transaction (one writer at a time): the
-- first statement of a transaction that segments it, or that rebuilds it.
-- Parameters: :name, :version
-- Returns: position, state, last_error, failed_position, rebuild_requested; no row when unknown.
SELECT
    position,
    state,
    last_error,
    failed_position,
    rebuild_requested
FROM ${qualified_prefix}projection_checkpoints
WHERE name = :name
  AND version = :version

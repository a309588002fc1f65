-- A projection version's checkpoint row, locked until commit: the first statement of a
-- transaction that segments it, or that rebuilds it (so that two rebuilders take turns).
-- FOR NO KEY UPDATE, not FOR UPDATE: a holder's batch that updates its segment row twice checks
-- the segment's foreign key the second time (FOR KEY SHARE on this row) while it holds its segment;
-- FOR UPDATE here would then deadlock with it once this transaction waits for that segment.
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
FOR NO KEY UPDATE

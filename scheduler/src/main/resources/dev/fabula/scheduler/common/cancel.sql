-- Cancel a job that has not finished. A running job's lease is revoked: its worker is
-- interrupted at its next renewal and its completion is not recorded.
-- Parameters: :id, :now
-- Returns:    id, has_dependents and the worker that held it (if running); no row when the job
--             does not exist or has already finished.
UPDATE ${qualified_prefix}jobs
SET state = 'cancelled',
    lease_until = NULL,
    last_error = 'cancelled',
    finished_at = :now,
    updated_at = :now
WHERE id = :id
  AND state IN ('waiting', 'pending', 'running')
RETURNING
    id,
    has_dependents,
    lease_owner

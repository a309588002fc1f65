-- Fail the jobs that waited for parents that failed or were cancelled: they can never run
-- (their compensations start instead: release_compensations.sql).
-- Parameters: :parents (JSON array of job ids), :reason, :now.
-- Returns:    id and has_dependents of each failed job, so the caller fails their dependents too.
UPDATE ${qualified_prefix}jobs
SET state = 'failed',
    last_error = 'parent job ' || parent_id || ' ' || :reason,
    finished_at = :now,
    updated_at = :now
WHERE parent_id IN (SELECT value FROM json_each(:parents))
  AND state = 'waiting'
  AND NOT on_parent_failure
RETURNING
    id,
    has_dependents

-- Cancel the compensations of parents that succeeded: there is nothing to undo.
-- Parameters: :parents (JSON array of job ids), :now.
-- Returns:    id and has_dependents of each cancelled job, so the caller fails their dependents.
UPDATE ${qualified_prefix}jobs
SET state = 'cancelled',
    last_error = 'parent job ' || parent_id || ' succeeded: nothing to compensate',
    finished_at = :now,
    updated_at = :now
WHERE parent_id IN (SELECT CAST(jsonb_array_elements_text(CAST(:parents AS jsonb)) AS bigint))
  AND state = 'waiting'
  AND on_parent_failure
RETURNING
    id,
    has_dependents

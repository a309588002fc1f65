-- Safety net, run by maintenance: fail waiting jobs whose parent failed or was cancelled.
-- Parameters: :now
-- Returns:    id and has_dependents of each failed job.
UPDATE ${qualified_prefix}jobs AS c
SET state = 'failed',
    last_error = 'parent job ' || c.parent_id || ' did not succeed',
    finished_at = :now,
    updated_at = :now
WHERE c.state = 'waiting'
  AND NOT c.on_parent_failure
  AND EXISTS (SELECT 1 FROM ${qualified_prefix}jobs AS p WHERE p.id = c.parent_id AND p.state IN ('failed', 'cancelled'))
RETURNING
    c.id,
    c.has_dependents

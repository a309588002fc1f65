-- Safety net, run by maintenance: cancel waiting compensations whose parent succeeded or was
-- pruned (only failed jobs may be kept past their retention, so a pruned parent is taken as done).
-- Parameters: :now
-- Returns:    id and has_dependents of each cancelled job.
UPDATE ${qualified_prefix}jobs AS c
SET state = 'cancelled',
    last_error = 'parent job ' || COALESCE(CAST(c.parent_id AS TEXT), '(pruned)') || ' succeeded or was pruned: nothing to compensate',
    finished_at = :now,
    updated_at = :now
WHERE c.state = 'waiting'
  AND c.on_parent_failure
  AND (c.parent_id IS NULL
       OR EXISTS (SELECT 1 FROM ${qualified_prefix}jobs AS p WHERE p.id = c.parent_id AND p.state = 'succeeded'))
RETURNING
    id,
    has_dependents

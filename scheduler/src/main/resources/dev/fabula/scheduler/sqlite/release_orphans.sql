-- Safety net, run by maintenance: start waiting jobs whose parent succeeded or was pruned, and
-- compensations whose parent failed or was cancelled.
-- Parameters: :now
-- Returns:    the ids of the released jobs.
UPDATE ${qualified_prefix}jobs AS c
SET state = 'pending',
    run_trigger = 'dependent',
    run_at = max(c.run_at, :now),
    updated_at = :now
WHERE c.state = 'waiting'
  AND ((NOT c.on_parent_failure
        AND (c.parent_id IS NULL
             OR EXISTS (SELECT 1 FROM ${qualified_prefix}jobs AS p WHERE p.id = c.parent_id AND p.state = 'succeeded')))
       OR (c.on_parent_failure
           AND EXISTS (SELECT 1 FROM ${qualified_prefix}jobs AS p WHERE p.id = c.parent_id AND p.state IN ('failed', 'cancelled'))))
RETURNING id

-- Start the jobs that waited for parents that just succeeded (not their compensations).
-- Parameters: :parents (JSON array of job ids), :now.
-- Returns:    the ids of the released jobs.
UPDATE ${qualified_prefix}jobs
SET state = 'pending',
    run_trigger = 'dependent',
    run_at = max(run_at, :now),
    updated_at = :now
WHERE parent_id IN (SELECT value FROM json_each(:parents))
  AND state = 'waiting'
  AND NOT on_parent_failure
RETURNING id

-- Start the jobs that waited for parents that just succeeded (not their compensations).
-- Parameters: :parents (JSON array of job ids), :now.
-- Returns:    the ids of the released jobs.
-- Run as its own statement after the parents' update, so its snapshot includes dependents that
-- were committed while the update waited for their mark_parent.sql lock.
UPDATE ${qualified_prefix}jobs
SET state = 'pending',
    run_trigger = 'dependent',
    run_at = GREATEST(run_at, :now),
    updated_at = :now
WHERE parent_id IN (SELECT CAST(jsonb_array_elements_text(CAST(:parents AS jsonb)) AS bigint))
  AND state = 'waiting'
  AND NOT on_parent_failure
RETURNING id

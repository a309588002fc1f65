-- Put a failed or cancelled job back in the queue by hand, with its attempts counted afresh.
-- Parameters: :id, :now
-- Returns:    the id; no row when the job does not exist, is not failed or cancelled, its parent
--             has not succeeded (a compensation: has not failed), or another job with its unique key is
--             waiting, pending or running.
-- Guarantee:  the history (job_runs) is kept; the next run is attempt 1.
UPDATE ${qualified_prefix}jobs AS j
SET state = 'pending',
    run_at = :now,
    attempt = 0,
    run_trigger = 'manual',
    lease_until = NULL,
    lease_owner = NULL,
    finished_at = NULL,
    updated_at = :now
WHERE id = :id
  AND state IN ('failed', 'cancelled')
  AND (parent_id IS NULL
       OR EXISTS (SELECT 1 FROM ${qualified_prefix}jobs AS p
                  WHERE p.id = j.parent_id
                    AND ((NOT j.on_parent_failure AND p.state = 'succeeded')
                         OR (j.on_parent_failure AND p.state IN ('failed', 'cancelled')))))
  AND (unique_key IS NULL
       OR NOT EXISTS (SELECT 1 FROM ${qualified_prefix}jobs AS o
                      WHERE o.job_type = j.job_type
                        AND o.unique_key = j.unique_key
                        AND o.state IN ('waiting', 'pending', 'running')))
RETURNING id

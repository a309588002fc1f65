-- The unfinished job holding a unique key.
-- Parameters: :job_type, :unique_key
-- Returns:    the job (all job columns), or no row when none is waiting, pending or running.
SELECT
    j.id,
    j.queue,
    j.job_type,
    CAST(j.payload AS text) AS payload,
    j.priority,
    j.state,
    j.run_at,
    j.attempt,
    j.max_attempts,
    j.run_trigger,
    j.unique_key,
    j.parent_id,
    j.schedule_name,
    j.scheduled_for,
    j.lease_token,
    j.lease_owner,
    j.lease_until,
    j.claimed_at,
    j.last_error,
    CAST(j.output AS text) AS output,
    j.created_at,
    j.updated_at,
    j.finished_at,
    j.has_dependents
FROM ${qualified_prefix}jobs AS j
WHERE j.job_type = :job_type
  AND j.unique_key = :unique_key
  AND j.state IN ('waiting', 'pending', 'running')

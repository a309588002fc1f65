-- The running jobs whose lease expired (their worker died, froze or lost the database). The
-- rescuing transaction holds the write lock, so nothing changes them before rescue.sql.
-- Parameters: :now, :limit
-- Returns:    all job columns, as before the rescue.
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
WHERE j.state = 'running'
  AND j.lease_until < :now
ORDER BY j.lease_until
LIMIT :limit

-- Jobs by state, type and queue, oldest first, a page at a time.
-- Parameters: :state, :job_type, :queue (each null for any), :after_id, :limit
-- Returns:    all job columns.
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
WHERE (:state IS NULL OR j.state = :state)
  AND (:job_type IS NULL OR j.job_type = :job_type)
  AND (:queue IS NULL OR j.queue = :queue)
  AND j.id > :after_id
ORDER BY j.id
LIMIT :limit

-- The execution history of one job, oldest first.
-- Parameters: :job_id
-- Returns:    all history columns.
SELECT
    r.id,
    r.job_id,
    r.job_type,
    r.queue,
    r.attempt,
    r.run_trigger,
    r.parent_id,
    r.schedule_name,
    r.scheduled_for,
    r.worker,
    r.started_at,
    r.finished_at,
    r.duration_ms,
    r.outcome,
    r.error,
    CAST(r.output AS text) AS output
FROM ${qualified_prefix}job_runs AS r
WHERE r.job_id = :job_id
ORDER BY r.id

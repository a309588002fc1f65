-- The execution history of one schedule (its runs and missed occurrences), oldest first.
-- Parameters: :schedule_name
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
WHERE r.schedule_name = :schedule_name
ORDER BY r.id

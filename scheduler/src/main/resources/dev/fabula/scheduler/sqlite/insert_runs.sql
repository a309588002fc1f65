-- Append execution history rows.
-- Parameters: :runs, a JSON array of objects with the columns below (times in microseconds,
--             output as JSON text or null).
-- Returns:    nothing.
INSERT INTO ${qualified_prefix}job_runs (
    job_id,
    job_type,
    queue,
    attempt,
    run_trigger,
    parent_id,
    schedule_name,
    scheduled_for,
    worker,
    started_at,
    finished_at,
    duration_ms,
    outcome,
    error,
    output
)
SELECT
    json_extract(value, '$.job_id'),
    json_extract(value, '$.job_type'),
    json_extract(value, '$.queue'),
    json_extract(value, '$.attempt'),
    json_extract(value, '$.run_trigger'),
    json_extract(value, '$.parent_id'),
    json_extract(value, '$.schedule_name'),
    json_extract(value, '$.scheduled_for'),
    json_extract(value, '$.worker'),
    json_extract(value, '$.started_at'),
    json_extract(value, '$.finished_at'),
    json_extract(value, '$.duration_ms'),
    json_extract(value, '$.outcome'),
    json_extract(value, '$.error'),
    json_extract(value, '$.output')
FROM json_each(:runs)

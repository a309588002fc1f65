-- Append execution history rows.
-- Parameters: :runs, a JSON array of objects with the columns below (times as ISO-8601, output
--             as JSON text or null).
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
    CAST(r.output AS jsonb)
FROM jsonb_to_recordset(CAST(:runs AS jsonb)) AS r(
    job_id bigint,
    job_type text,
    queue text,
    attempt integer,
    run_trigger text,
    parent_id bigint,
    schedule_name text,
    scheduled_for timestamptz,
    worker text,
    started_at timestamptz,
    finished_at timestamptz,
    duration_ms bigint,
    outcome text,
    error text,
    output text
)

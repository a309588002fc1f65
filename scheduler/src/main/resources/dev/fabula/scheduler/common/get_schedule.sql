-- One schedule.
-- Parameters: :name
-- Returns:    the schedule's columns, or no row.
SELECT
    s.name,
    s.job_type,
    s.queue,
    CAST(s.payload AS text) AS payload,
    s.priority,
    s.max_attempts,
    s.recurrence_kind,
    s.recurrence,
    s.zone,
    s.missed_policy,
    s.missed_cap,
    s.dst_policy,
    s.lateness_ms,
    s.next_run_at,
    s.last_scheduled_for
FROM ${qualified_prefix}job_schedules AS s
WHERE s.name = :name

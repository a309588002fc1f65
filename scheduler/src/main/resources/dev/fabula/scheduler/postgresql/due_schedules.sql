-- Schedules with an occurrence due, locked for the caller's transaction; schedules another
-- process is handling are skipped.
-- Parameters: :now, :limit
-- Returns:    the schedules' columns.
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
WHERE s.next_run_at <= :now
ORDER BY s.next_run_at
LIMIT :limit
FOR UPDATE SKIP LOCKED

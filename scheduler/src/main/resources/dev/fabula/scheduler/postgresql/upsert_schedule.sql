-- Create or replace a recurring schedule.
-- Parameters: :name, :job_type, :queue, :payload, :priority, :max_attempts, :recurrence_kind,
--             :recurrence, :zone, :missed_policy, :missed_cap, :dst_policy, :lateness_ms,
--             :next_run_at, :now
-- Returns:    nothing.
INSERT INTO ${qualified_prefix}job_schedules (
    name,
    job_type,
    queue,
    payload,
    priority,
    max_attempts,
    recurrence_kind,
    recurrence,
    zone,
    missed_policy,
    missed_cap,
    dst_policy,
    lateness_ms,
    next_run_at,
    last_scheduled_for,
    created_at,
    updated_at
)
VALUES (
    :name,
    :job_type,
    :queue,
    CAST(:payload AS jsonb),
    :priority,
    :max_attempts,
    :recurrence_kind,
    :recurrence,
    :zone,
    :missed_policy,
    :missed_cap,
    :dst_policy,
    :lateness_ms,
    :next_run_at,
    NULL,
    :now,
    :now
)
ON CONFLICT (name) DO UPDATE
    SET job_type = excluded.job_type,
        queue = excluded.queue,
        payload = excluded.payload,
        priority = excluded.priority,
        max_attempts = excluded.max_attempts,
        recurrence_kind = excluded.recurrence_kind,
        recurrence = excluded.recurrence,
        zone = excluded.zone,
        missed_policy = excluded.missed_policy,
        missed_cap = excluded.missed_cap,
        dst_policy = excluded.dst_policy,
        lateness_ms = excluded.lateness_ms,
        next_run_at = excluded.next_run_at,
        updated_at = excluded.updated_at

-- Enqueue one job, in the caller's transaction (the outbox: the job commits with the events).
--
-- Parameters: :queue, :job_type, :payload (JSON text), :priority, :state ('pending' or 'waiting'),
--             :run_at, :max_attempts, :run_trigger, :unique_key (nullable),
--             :tenant_id (the enqueuing unit of work's tenant, '' for none), :parent_id (nullable),
--             :on_parent_failure,
--             :schedule_name and :scheduled_for (both null unless a schedule made the job), :now,
--             :headers (JSON object text, nullable).
-- Returns:    the new job's id; no row when a unique index refused it: an unfinished job with the
--             same (tenant_id, job_type, unique_key), or a job for the same schedule occurrence.
-- The caller holds SQLite's write lock; workers in this process are woken after the commit.
INSERT INTO ${qualified_prefix}jobs (
    queue,
    job_type,
    payload,
    priority,
    state,
    run_at,
    max_attempts,
    run_trigger,
    unique_key,
    tenant_id,
    parent_id,
    on_parent_failure,
    schedule_name,
    scheduled_for,
    headers,
    created_at,
    updated_at
)
VALUES (
    :queue,
    :job_type,
    json(:payload),
    :priority,
    :state,
    :run_at,
    :max_attempts,
    :run_trigger,
    :unique_key,
    :tenant_id,
    :parent_id,
    :on_parent_failure,
    :schedule_name,
    :scheduled_for,
    :headers,
    :now,
    :now
)
ON CONFLICT DO NOTHING
RETURNING id

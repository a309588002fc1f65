-- Enqueue one job, in the caller's transaction (the outbox: the job commits with the events).
--
-- Parameters: :queue, :job_type, :payload (JSON text), :priority, :state ('pending' or 'waiting'),
--             :run_at, :max_attempts, :run_trigger, :unique_key (nullable),
--             :tenant_id (the enqueuing unit of work's tenant, '' for none), :parent_id (nullable),
--             :on_parent_failure,
--             :schedule_name and :scheduled_for (both null unless a schedule made the job), :now,
--             :headers (JSON object text, nullable),
--             :notify (whether to wake the workers), :channel (the LISTEN channel).
-- Returns:    the new job's id; no row when a unique index refused it: an unfinished job with the
--             same (tenant_id, job_type, unique_key), or a job for the same schedule occurrence.
--
-- Guarantees: the notification is transactional: workers hear it when the caller commits, never
-- before and never after a rollback. A concurrent insert of the same unique key waits for the
-- other transaction and then inserts nothing if it committed.
WITH inserted AS (
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
        CAST(:payload AS jsonb),
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
)
SELECT inserted.id
FROM inserted
LEFT JOIN LATERAL (SELECT pg_notify(:channel, '') AS sent WHERE :notify) AS notified ON true

-- Register a worker pool or refresh its heartbeat.
-- Parameters: :worker_id, :threads, :job_types and :queues (JSON arrays, null for all), :now
-- Returns:    nothing.
INSERT INTO ${qualified_prefix}job_workers (worker_id, threads, job_types, queues, started_at, heartbeat_at)
VALUES (:worker_id, :threads, CAST(:job_types AS jsonb), CAST(:queues AS jsonb), :now, :now)
ON CONFLICT (worker_id) DO UPDATE
    SET heartbeat_at = excluded.heartbeat_at,
        job_types = excluded.job_types,
        queues = excluded.queues

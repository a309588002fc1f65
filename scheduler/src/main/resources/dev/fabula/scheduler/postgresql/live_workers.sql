-- Worker pools that sent a heartbeat recently.
-- Parameters: :since
-- Returns:    worker_id, threads, job_types, queues (JSON text or null).
SELECT
    worker_id,
    threads,
    CAST(job_types AS text) AS job_types,
    CAST(queues AS text) AS queues
FROM ${qualified_prefix}job_workers
WHERE heartbeat_at >= :since
ORDER BY worker_id

-- Worker pools that sent a heartbeat recently.
-- Parameters: :since
-- Returns:    worker_id, threads, job_types, queues (JSON text or null).
SELECT
    worker_id,
    threads,
    job_types,
    queues
FROM ${qualified_prefix}job_workers
WHERE heartbeat_at >= :since
ORDER BY worker_id

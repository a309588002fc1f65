-- Unregister a worker pool at shutdown.
-- Parameters: :worker_id
-- Returns:    nothing.
DELETE FROM ${qualified_prefix}job_workers
WHERE worker_id = :worker_id

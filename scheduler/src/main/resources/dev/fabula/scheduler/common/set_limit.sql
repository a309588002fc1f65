-- Set or clear the concurrency limit of a scope (global '*', a queue, or a job type).
-- Parameters: :scope, :name, :max_running (null clears it), :now
-- Returns:    nothing.
INSERT INTO ${qualified_prefix}job_controls (scope, name, paused, max_running, updated_at)
VALUES (:scope, :name, false, :max_running, :now)
ON CONFLICT (scope, name) DO UPDATE
    SET max_running = excluded.max_running,
        updated_at = excluded.updated_at

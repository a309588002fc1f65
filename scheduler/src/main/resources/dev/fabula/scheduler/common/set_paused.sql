-- Pause or resume a scope: the kill switch (scope 'global', name '*'), or a queue.
-- Parameters: :scope, :name, :paused, :now
-- Returns:    nothing.
INSERT INTO ${qualified_prefix}job_controls (scope, name, paused, max_running, updated_at)
VALUES (:scope, :name, :paused, NULL, :now)
ON CONFLICT (scope, name) DO UPDATE
    SET paused = excluded.paused,
        updated_at = excluded.updated_at

-- Every control: pauses and concurrency limits.
-- Parameters: none.
-- Returns:    scope, name, paused, max_running.
SELECT
    scope,
    name,
    paused,
    max_running
FROM ${qualified_prefix}job_controls
ORDER BY scope, name

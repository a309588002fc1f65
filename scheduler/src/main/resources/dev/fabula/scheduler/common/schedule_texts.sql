-- The names and payloads of every schedule, for an erasure of the unconfined store
-- (SchedulerErasure), which matches them in Java: schedules are few, and the rule for names
-- (the target as a whole token) reads the same on every database that way.
-- Parameters: none.
-- Returns:    name, payload (JSON text).
SELECT
    name,
    CAST(payload AS text) AS payload
FROM ${qualified_prefix}job_schedules
ORDER BY name

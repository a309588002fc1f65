-- Pause or resume one schedule; its definition and next occurrence stay.
-- Parameters: :name, :paused
-- Returns:    nothing; the count of updated rows says whether the schedule exists.
UPDATE ${qualified_prefix}job_schedules
SET paused = :paused
WHERE name = :name

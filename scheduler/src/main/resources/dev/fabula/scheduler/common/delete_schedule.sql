-- Remove a schedule; jobs it already made stay.
-- Parameters: :name
-- Returns:    nothing.
DELETE FROM ${qualified_prefix}job_schedules
WHERE name = :name

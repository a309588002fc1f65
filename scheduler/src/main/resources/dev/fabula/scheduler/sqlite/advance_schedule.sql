-- Move a schedule to its next occurrence after turning due occurrences into jobs or misses.
-- Parameters: :name, :next_run_at (null: no more occurrences), :last_scheduled_for, :now
-- Returns:    nothing.
UPDATE ${qualified_prefix}job_schedules
SET next_run_at = :next_run_at,
    last_scheduled_for = COALESCE(:last_scheduled_for, last_scheduled_for),
    updated_at = :now
WHERE name = :name

-- Erase the history of a schedule an erasure deletes: its missed occurrences and the runs of the
-- jobs it made (schedules and their jobs are of no tenant).
-- Parameters: :name (the schedule's name)
-- Returns:    nothing.
DELETE FROM ${qualified_prefix}job_runs
WHERE schedule_name = :name
   OR job_id IN (
       SELECT id
       FROM ${qualified_prefix}jobs
       WHERE tenant_id = ''
         AND schedule_name = :name
   )

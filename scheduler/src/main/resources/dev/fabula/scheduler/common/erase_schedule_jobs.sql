-- Erase the jobs a schedule an erasure deletes made, whatever their state (their runs went first,
-- erase_schedule_runs.sql); a running one is deleted under its worker, as erase_jobs.sql does.
-- Parameters: :name (the schedule's name)
-- Returns:    nothing.
DELETE FROM ${qualified_prefix}jobs
WHERE tenant_id = ''
  AND schedule_name = :name

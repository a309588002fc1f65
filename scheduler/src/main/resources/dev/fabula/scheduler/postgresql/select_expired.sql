-- The running jobs whose lease expired (their worker died, froze or lost the database), locked
-- for the rescuing transaction; rows another process is rescuing are skipped.
-- Parameters: :now, :limit
-- Returns:    all job columns, as before the rescue (the trigger and claim time of the attempt
--             that was cut off, for its history row).
-- Guarantees: a renewal racing with the rescue waits for the row lock, then finds the job no
-- longer running and gives up; its handler is interrupted.
SELECT
    ${job_columns}
FROM ${qualified_prefix}jobs AS j
WHERE j.state = 'running'
  AND j.lease_until < :now
ORDER BY j.lease_until
LIMIT :limit
FOR UPDATE SKIP LOCKED

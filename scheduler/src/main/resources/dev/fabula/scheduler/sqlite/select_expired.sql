-- The running jobs whose lease expired (their worker died, froze or lost the database). The
-- rescuing transaction holds the write lock, so nothing changes them before rescue.sql.
-- Parameters: :now, :limit
-- Returns:    all job columns, as before the rescue.
SELECT
    ${job_columns}
FROM ${qualified_prefix}jobs AS j
WHERE j.state = 'running'
  AND j.lease_until < :now
ORDER BY j.lease_until
LIMIT :limit

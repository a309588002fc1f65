-- Running jobs per queue and type, for the concurrency limits in status and explanations.
-- Parameters: none.
-- Returns:    queue, job_type, count.
SELECT
    queue,
    job_type,
    count(*) AS running
FROM ${qualified_prefix}jobs
WHERE state = 'running'
GROUP BY queue, job_type

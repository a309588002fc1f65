-- Jobs per queue, job type and state, with the oldest due pending job of each: the statistics per
-- queue and type (queues and types are the application's configuration, so the rows are few).
-- Parameters: :now
-- Returns:    queue, job_type, state, jobs, oldest_due (per queue and type, the earliest run_at of
--             its due pending jobs; null on rows of other states and when none is due).
SELECT
    queue,
    job_type,
    state,
    count(*) AS jobs,
    min(CASE WHEN state = 'pending' AND run_at <= :now THEN run_at END) AS oldest_due
FROM ${qualified_prefix}jobs
GROUP BY queue, job_type, state

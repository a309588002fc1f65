-- Attempts finished since a time, per outcome (throughput).
-- Parameters: :since
-- Returns:    outcome, count.
SELECT
    outcome,
    count(*) AS runs
FROM ${qualified_prefix}job_runs
WHERE finished_at >= :since
GROUP BY outcome

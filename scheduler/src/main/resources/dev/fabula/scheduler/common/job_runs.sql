-- The execution history of one job, oldest first.
-- Parameters: :job_id
-- Returns:    all history columns.
SELECT
    ${run_columns}
FROM ${qualified_prefix}job_runs AS r
WHERE r.job_id = :job_id
ORDER BY r.id

-- One job.
-- Parameters: :id
-- Returns:    all job columns, or no row.
SELECT
    ${job_columns}
FROM ${qualified_prefix}jobs AS j
WHERE j.id = :id

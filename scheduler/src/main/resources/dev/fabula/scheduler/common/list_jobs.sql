-- Jobs by state, type and queue, oldest first, a page at a time.
-- Parameters: :state, :job_type, :queue (each null for any), :after_id, :limit
-- Returns:    all job columns.
SELECT
    ${job_columns}
FROM ${qualified_prefix}jobs AS j
WHERE (CAST(:state AS text) IS NULL OR j.state = :state)
  AND (CAST(:job_type AS text) IS NULL OR j.job_type = :job_type)
  AND (CAST(:queue AS text) IS NULL OR j.queue = :queue)
  AND j.id > :after_id
ORDER BY j.id
LIMIT :limit

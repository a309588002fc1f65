-- Delete history past its retention, a bounded batch at a time, except the history of failed
-- jobs that are still kept.
-- Parameters: :before, :limit
-- Returns:    the number of rows deleted.
DELETE FROM ${qualified_prefix}job_runs
WHERE id IN (
    SELECT r.id
    FROM ${qualified_prefix}job_runs AS r
    WHERE r.finished_at < :before
      AND NOT EXISTS (
          SELECT 1
          FROM ${qualified_prefix}jobs AS j
          WHERE j.id = r.job_id
            AND j.state = 'failed')
    LIMIT :limit
)

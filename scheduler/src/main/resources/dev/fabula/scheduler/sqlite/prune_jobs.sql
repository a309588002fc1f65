-- Delete finished jobs past their retention, a bounded batch at a time (their history stays).
-- Parameters: :finished_before (succeeded and cancelled jobs), :failed_before (failed jobs),
--             :limit
-- Returns:    the number of rows deleted.
DELETE FROM ${qualified_prefix}jobs
WHERE id IN (
    SELECT id
    FROM ${qualified_prefix}jobs
    WHERE finished_at IS NOT NULL
      AND ((state IN ('succeeded', 'cancelled') AND finished_at < :finished_before)
           OR (state = 'failed' AND finished_at < :failed_before))
    LIMIT :limit
)

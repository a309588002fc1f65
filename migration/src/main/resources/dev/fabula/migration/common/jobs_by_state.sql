-- Counts the scheduler's jobs per state (for status; the caller checks the table exists).
-- Parameters: none.
SELECT
    state,
    COUNT(*)
FROM ${qualified_prefix}jobs
GROUP BY state
ORDER BY state

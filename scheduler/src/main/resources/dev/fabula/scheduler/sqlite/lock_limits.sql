-- Read the kill switch before a limited claim. The claiming transaction already holds SQLite's
-- write lock (BEGIN IMMEDIATE), which serialises limited claims across processes.
-- Parameters: none.
-- Returns:    whether the kill switch is on.
SELECT paused
FROM ${qualified_prefix}job_controls
WHERE scope = 'global'
  AND name = '*'

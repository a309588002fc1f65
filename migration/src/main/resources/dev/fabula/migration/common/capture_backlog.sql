-- Counts the waiting captured changes per table (for status).
-- Parameters: none.
SELECT
    table_name,
    COUNT(*)
FROM ${qualified_prefix}migration_capture
GROUP BY table_name
ORDER BY table_name

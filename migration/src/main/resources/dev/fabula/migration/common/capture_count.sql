-- Counts the captured changes of one table still waiting to be applied.
-- Parameters: :table_name.
SELECT COUNT(*)
FROM ${qualified_prefix}migration_capture
WHERE table_name = :table_name

-- Whether a table exists.
-- Parameters: :table_name (with the prefix).
SELECT COUNT(*)
FROM sqlite_master
WHERE type = 'table'
  AND name = :table_name

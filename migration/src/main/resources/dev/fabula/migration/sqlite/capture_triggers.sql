-- Lists the triggers on a table (to tell whether capture is installed).
-- Parameters: :table_name.
SELECT
    name
FROM sqlite_master
WHERE type = 'trigger'
  AND tbl_name = :table_name
ORDER BY name

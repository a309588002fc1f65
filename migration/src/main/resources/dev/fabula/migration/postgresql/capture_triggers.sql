-- Lists the triggers on a table (to tell whether capture is installed).
-- Parameters: :table_name (unqualified).
SELECT
    tgname
FROM pg_trigger
WHERE tgrelid = (
          SELECT c.oid
          FROM pg_class c
          WHERE c.relname = :table_name
            AND pg_table_is_visible(c.oid)
      )
  AND NOT tgisinternal
ORDER BY tgname

-- Checks an import's key column before anything is imported: pages are read after the last key
-- done (import_page_after.sql), which is complete only when every row has a key and no two rows
-- share one.
-- Parameters:   none.
-- Placeholders: ${source_query} (the caller's own query), ${key_column} (a validated identifier).
-- Returns:      one row: how many rows have a null key, and the smallest key that more than one
--               row has (null when every key is unique). Reads the whole source (a unique index on
--               the key column makes it cheap).
SELECT
    (SELECT COUNT(*)
     FROM (${source_query}) src
     WHERE src.${key_column} IS NULL),
    (SELECT src.${key_column}
     FROM (${source_query}) src
     WHERE src.${key_column} IS NOT NULL
     GROUP BY src.${key_column}
     HAVING COUNT(*) > 1
     ORDER BY src.${key_column}
     LIMIT 1)

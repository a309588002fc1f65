-- The next page of an import's source: keys after the checkpoint, in key order. Rows inserted
-- behind the cursor are not read (change capture brings them in); rows ahead of it are.
-- Parameters:   :after (the last key done, bound with its type), :limit.
-- Placeholders: ${source_query} (the caller's own query), ${key_column} (a validated identifier).
SELECT *
FROM (${source_query}) src
WHERE src.${key_column} > :after
ORDER BY src.${key_column}
LIMIT :limit

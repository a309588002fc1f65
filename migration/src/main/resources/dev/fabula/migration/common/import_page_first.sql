-- The first page of an import's source, in key order.
-- Parameters:   :limit.
-- Placeholders: ${source_query} (the caller's own query), ${key_column} (a validated identifier).
SELECT *
FROM (${source_query}) src
ORDER BY src.${key_column}
LIMIT :limit

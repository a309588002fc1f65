-- Counts the rows of an import's source query (for the estimated time left).
-- Placeholders: ${source_query}, the caller's own query (trusted configuration, not user input).
SELECT COUNT(*) FROM (${source_query}) src

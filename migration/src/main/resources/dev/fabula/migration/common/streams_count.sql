-- Counts the store's streams (for status).
-- Parameters: none.
SELECT COUNT(*)
FROM ${qualified_prefix}streams

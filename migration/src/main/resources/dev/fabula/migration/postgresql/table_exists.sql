-- Whether a table of the store's schema exists.
-- Parameters: :table_name (with the prefix, unqualified).
SELECT COUNT(*)
FROM information_schema.tables
WHERE table_schema = '${schema}'
  AND table_name = :table_name

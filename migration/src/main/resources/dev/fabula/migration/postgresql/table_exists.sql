-- Whether a table of the store's schema exists (1) or not (0).
-- Parameters: :table_name (with the prefix, unqualified; lower-case, as the library names tables).
SELECT COUNT(*)
FROM (SELECT to_regclass('${schema}.' || :table_name) AS t) AS found
WHERE found.t IS NOT NULL

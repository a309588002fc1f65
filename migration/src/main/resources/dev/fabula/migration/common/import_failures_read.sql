-- Lists an import's failed rows.
-- Parameters: :name.
SELECT
    row_key,
    kind,
    reason
FROM ${qualified_prefix}migration_import_failures
WHERE name = :name
ORDER BY row_key, kind

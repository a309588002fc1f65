-- Forgets the failures of an import's earlier pass.
-- Parameters: :name.
DELETE FROM ${qualified_prefix}migration_import_failures
WHERE name = :name

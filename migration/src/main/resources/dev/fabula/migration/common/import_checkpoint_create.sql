-- Creates an import's checkpoint at pass 1 with nothing done, unless it exists.
-- Parameters: :name, :checksum (of nothing), :now.
-- Guarantees: two processes starting the same import create one row.
INSERT INTO ${qualified_prefix}migration_imports (
    name,
    pass,
    checksum,
    started_at,
    updated_at
)
VALUES (:name, 1, :checksum, :now, :now)
ON CONFLICT (name) DO NOTHING

-- Sets a read switch's target.
-- Parameters: :name, :target (LEGACY or READ_MODEL), :now.
INSERT INTO ${qualified_prefix}migration_read_switches (
    name,
    target,
    updated_at
)
VALUES (:name, :target, :now)
ON CONFLICT (name) DO UPDATE
    SET target = excluded.target,
        updated_at = excluded.updated_at

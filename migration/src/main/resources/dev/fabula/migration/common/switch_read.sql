-- Reads a read switch's target.
-- Parameters: :name.
-- Returns:    at most one row; none means LEGACY.
SELECT
    target
FROM ${qualified_prefix}migration_read_switches
WHERE name = :name

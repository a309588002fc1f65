-- Reads the oldest captured changes of one table (inside a write transaction: one runner at a time).
-- Parameters: :table_name, :limit.
SELECT
    seq,
    operation,
    old_row,
    new_row
FROM ${qualified_prefix}migration_capture
WHERE table_name = :table_name
ORDER BY seq
LIMIT :limit

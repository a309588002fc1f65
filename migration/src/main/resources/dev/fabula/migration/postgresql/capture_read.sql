-- Reads the oldest captured changes of one table and locks them, so that a second runner waits
-- instead of applying the same changes out of order.
-- Parameters: :table_name (unqualified), :limit.
-- Guarantees: per row of the legacy table, sequence order is commit order (the legacy row's lock
--             orders its writers), so applying in sequence order keeps each row's history in order.
SELECT
    seq,
    operation,
    CAST(old_row AS TEXT),
    CAST(new_row AS TEXT)
FROM ${qualified_prefix}migration_capture
WHERE table_name = :table_name
ORDER BY seq
LIMIT :limit
FOR UPDATE

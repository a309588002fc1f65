-- Reads an import's checkpoint.
-- Parameters: :name.
-- Returns:    at most one row.
SELECT
    pass,
    last_key,
    last_key_number,
    rows_read,
    events_written,
    rows_skipped,
    rows_failed,
    rows_changed,
    checksum,
    finished,
    ever_finished
FROM ${qualified_prefix}migration_imports
WHERE name = :name

-- Lists every import's checkpoint (for status).
-- Parameters: none.
SELECT
    name,
    pass,
    rows_read,
    events_written,
    rows_skipped,
    rows_failed,
    rows_changed,
    finished
FROM ${qualified_prefix}migration_imports
ORDER BY name

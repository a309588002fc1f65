-- Lists every import's checkpoint (for status reports: the CLI, Migrations, the console).
-- Parameters: none.
-- Returns:    one row per import, by name; started_at and updated_at are ISO-8601 instants (the
--             start of the current pass, its last batch).
SELECT
    name,
    pass,
    rows_read,
    events_written,
    rows_skipped,
    rows_failed,
    rows_changed,
    finished,
    started_at,
    updated_at
FROM ${qualified_prefix}migration_imports
ORDER BY name

-- Starts a new pass of a finished import (a rerun that re-reads every row and writes only what is
-- missing): the cursor and the counts go back to zero.
-- Parameters: :name, :pass (the finished pass), :checksum (of nothing), :now.
-- Guarantees: only one process moves a finished pass on (no row updated: someone else did).
UPDATE ${qualified_prefix}migration_imports
SET pass = pass + 1,
    last_key = NULL,
    last_key_number = 0,
    rows_read = 0,
    events_written = 0,
    rows_skipped = 0,
    rows_failed = 0,
    rows_changed = 0,
    checksum = :checksum,
    finished = 0,
    started_at = :now,
    updated_at = :now
WHERE name = :name
  AND pass = :pass
  AND finished = 1

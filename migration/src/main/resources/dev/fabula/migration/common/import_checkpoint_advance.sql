-- Moves an import's checkpoint past a batch, in the batch's transaction (with its appends).
-- Parameters: :name, :pass, :expected_rows (rows_read before the batch), :last_key,
--             :last_key_number (1 when the key is a number), :rows_read, :events_written,
--             :rows_skipped, :rows_failed, :rows_changed (new totals), :checksum, :finished, :now.
-- Guarantees: optimistic: no row updated means another process moved the checkpoint; the caller
--             fails loudly and its transaction rolls back.
UPDATE ${qualified_prefix}migration_imports
SET last_key = :last_key,
    last_key_number = :last_key_number,
    rows_read = :rows_read,
    events_written = :events_written,
    rows_skipped = :rows_skipped,
    rows_failed = :rows_failed,
    rows_changed = :rows_changed,
    checksum = :checksum,
    finished = :finished,
    ever_finished = CASE WHEN :finished = 1 THEN 1 ELSE ever_finished END,
    updated_at = :now
WHERE name = :name
  AND pass = :pass
  AND rows_read = :expected_rows
  AND finished = 0

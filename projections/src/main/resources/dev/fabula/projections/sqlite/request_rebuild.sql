-- Ask the lease holder (now or the next one) to reset the projection and replay the log.
-- Parameters: :name, :version
-- Returns: the number of rows updated (0 for an unknown projection version, or one whose
--          registered definition has neither a reset hook nor an idempotent replay).
-- Guarantee: only the lease holder resets (reset_checkpoint.sql), so a rebuild never races with a
-- batch; a FAILED projection becomes runnable again, since a rebuild starts afresh.
UPDATE ${qualified_prefix}projection_checkpoints
SET rebuild_requested = TRUE,
    state = CASE WHEN state = 'FAILED' THEN 'REBUILDING' ELSE state END,
    last_error = NULL,
    failed_position = NULL,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND rebuildable = TRUE

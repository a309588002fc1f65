-- Dismiss a parked event: it will never be applied; the row stays, with the reason, for audits.
-- Parameters: :name, :version, :position, :reason
-- Returns: the number of rows updated (0 when the event is not parked).
UPDATE ${qualified_prefix}projection_dead_letters
SET status = 'DISMISSED',
    reason = :reason,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND position = :position
  AND status IN ('PARKED', 'RETRY')

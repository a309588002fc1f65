-- Record the outcome of a retry: APPLIED, or PARKED again with the new error.
-- Parameters: :name, :version, :position, :status, :reason, :attempts
-- Returns: the number of rows updated; 0 when the event was dismissed meanwhile (then the retry
--          must not apply it: the caller rolls back).
UPDATE ${qualified_prefix}projection_dead_letters
SET status = :status,
    reason = :reason,
    attempts = :attempts,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND position = :position
  AND status IN ('PARKED', 'RETRY')

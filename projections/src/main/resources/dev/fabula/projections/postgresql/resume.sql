-- Let a FAILED projection run again: its lease holder retries the failed event.
-- Parameters: :name, :version
-- Returns: the number of rows updated (0 when it was not FAILED).
UPDATE ${qualified_prefix}projection_checkpoints
SET state = 'CATCHING_UP',
    last_error = NULL,
    failed_position = NULL,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND state = 'FAILED'

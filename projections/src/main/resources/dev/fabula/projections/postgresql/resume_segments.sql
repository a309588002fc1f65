-- Let the FAILED segments of a projection run again: their holders retry the failed events.
-- Parameters: :name, :version
-- Returns: the number of segments resumed.
UPDATE ${qualified_prefix}projection_segments
SET state = 'CATCHING_UP',
    last_error = NULL,
    failed_position = NULL,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND state = 'FAILED'

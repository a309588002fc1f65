-- Stop a segment in the FAILED state: the event it could not apply and the error. Its other
-- segments go on; Projections.resume resumes every FAILED segment (resume_segments.sql).
-- Parameters: :name, :version, :segment, :owner, :fencing_token, :failed_position (or null), :error
-- Returns: the number of rows updated; 0 when the lease was lost.
UPDATE ${qualified_prefix}projection_segments
SET state = 'FAILED',
    failed_position = :failed_position,
    last_error = :error,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version
  AND segment = :segment
  AND owner = :owner
  AND fencing_token = :fencing_token

-- Stop a projection in the FAILED state, visibly: the event it could not apply and the error.
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :failed_position (null when no event is at fault, such as a
--             failing reset hook), :error
-- Returns: the number of rows updated; 0 when the lease was lost.
-- Guarantee: the checkpoint does not move; every runner leaves a FAILED projection alone until
-- Projections.resume (resume.sql) or a rebuild request.
UPDATE ${qualified_prefix}projection_checkpoints
SET state = 'FAILED',
    failed_position = :failed_position,
    last_error = :error,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND owner = :owner
  AND fencing_token = :fencing_token

-- Move a segment's checkpoint: the last statement of the transaction that applied its events.
-- Parameters: :name, :version, :segment, :owner, :fencing_token, :read (the checkpoint read),
--             :position (the last position readAll returned), :state, :lease_ms
-- Returns: the number of rows updated; 0 means the lease was lost: the caller rolls back.
-- A merge's skip is forgotten once the checkpoint reaches skip_until.
UPDATE ${qualified_prefix}projection_segments
SET position = :position,
    state = :state,
    last_error = NULL,
    failed_position = NULL,
    skip_segment = CASE WHEN skip_until <= :position THEN NULL ELSE skip_segment END,
    skip_mask = CASE WHEN skip_until <= :position THEN NULL ELSE skip_mask END,
    skip_until = CASE WHEN skip_until <= :position THEN NULL ELSE skip_until END,
    lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND segment = :segment
  AND position = :read
  AND owner = :owner
  AND fencing_token = :fencing_token

-- Record a segment holder's state without moving its checkpoint (caught up, rebuild finished).
-- Parameters: :name, :version, :segment, :owner, :fencing_token, :state
-- Returns: the number of rows updated; 0 when the lease was lost.
UPDATE ${qualified_prefix}projection_segments
SET state = :state,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND segment = :segment
  AND owner = :owner
  AND fencing_token = :fencing_token

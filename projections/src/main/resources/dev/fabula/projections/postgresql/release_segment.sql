-- Give a segment's lease back (the runner stops): another runner may claim it at once.
-- Parameters: :name, :version, :segment, :owner, :fencing_token
-- Guarantee: only the holder releases; FAILED and REBUILDING survive for the next holder.
UPDATE ${qualified_prefix}projection_segments
SET owner = NULL,
    lease_until_ms = 0,
    state = CASE WHEN state IN ('FAILED', 'REBUILDING') THEN state ELSE 'STOPPED' END,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version
  AND segment = :segment
  AND owner = :owner
  AND fencing_token = :fencing_token

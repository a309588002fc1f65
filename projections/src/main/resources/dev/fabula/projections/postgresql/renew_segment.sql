-- Heartbeat: extend the lease of a segment the caller still holds.
-- Parameters: :name, :version, :segment, :owner, :fencing_token, :lease_ms
-- Returns: the number of rows updated: 1; 0 when the lease was lost (a split or merge revokes it),
--          or when the holder's own batch holds the row lock (SKIP LOCKED; it extends on commit).
UPDATE ${qualified_prefix}projection_segments
SET lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms
WHERE (name, version, segment) IN (
    SELECT
        name,
        version,
        segment
    FROM ${qualified_prefix}projection_segments
    WHERE name = :name
      AND version = :version
      AND segment = :segment
      AND owner = :owner
      AND fencing_token = :fencing_token
    FOR UPDATE SKIP LOCKED
)

-- Heartbeat: extend the lease of a segment the caller still holds.
-- Parameters: :name, :version, :segment, :owner, :fencing_token, :lease_ms
-- Returns: the number of rows updated: 1; 0 when the lease was lost (a split or merge revokes it),
--          (SQLite: it queues behind a running batch, which extends the lease when it commits).
UPDATE ${qualified_prefix}projection_segments
SET lease_until_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + :lease_ms
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
)

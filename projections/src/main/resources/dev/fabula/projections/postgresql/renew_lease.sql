-- Heartbeat: extend a lease the caller still holds.
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :lease_ms
-- Returns: the number of rows updated: 1; or 0 when the lease was lost, or when the row is locked
--          by the holder's own checkpoint transaction (SKIP LOCKED: the heartbeat never queues
--          behind a long batch; that transaction extends the lease when it commits).
UPDATE ${qualified_prefix}projection_checkpoints
SET lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms
WHERE (name, version) IN (
    SELECT
        name,
        version
    FROM ${qualified_prefix}projection_checkpoints
    WHERE name = :name
      AND version = :version
      AND owner = :owner
      AND fencing_token = :fencing_token
    FOR UPDATE SKIP LOCKED
)

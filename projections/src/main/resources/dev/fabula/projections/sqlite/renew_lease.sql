-- Heartbeat: extend a lease the caller still holds.
-- Parameters: :name, :version, :owner, :fencing_token (the token the caller took the lease with), :lease_ms
-- Returns: the number of rows updated: 1, or 0 when the lease was lost.
-- (SQLite has one writer at a time: the heartbeat queues behind a running batch, which itself
-- extends the lease when it commits.)
UPDATE ${qualified_prefix}projection_checkpoints
SET lease_until_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) + :lease_ms
WHERE name = :name
  AND version = :version
  AND owner = :owner
  AND fencing_token = :fencing_token

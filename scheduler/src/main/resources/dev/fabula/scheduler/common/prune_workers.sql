-- Forget worker pools that stopped sending heartbeats long ago.
-- Parameters: :before
-- Returns:    nothing.
DELETE FROM ${qualified_prefix}job_workers
WHERE heartbeat_at < :before

-- Serialise claims under concurrency limits, across processes: lock the global control row
-- until the claiming transaction ends. Run before claim_limited.sql, as its own statement, so
-- that the claim's snapshot sees every claim committed before the lock was granted.
-- Parameters: none.
-- Returns:    whether the kill switch is on.
SELECT paused
FROM ${qualified_prefix}job_controls
WHERE scope = 'global'
  AND name = '*'
FOR UPDATE

-- Whether a claim still holds its job's lease now (JobContext.stillOwnsLease).
-- Parameters: :id, :token, :now
-- Returns:    1 when it does, else 0.
SELECT count(*)
FROM ${qualified_prefix}jobs
WHERE id = :id
  AND lease_token = :token
  AND state = 'running'
  AND lease_until >= :now

-- Give back the jobs a claim of this pool may have taken without the pool knowing: the claim's
-- connection failed during or after COMMIT, so it may have committed, and no handler here runs
-- those jobs. Each goes back to pending, due now, without counting the attempt.
--
-- Parameters: :owner (this pool's worker id), :held (JSON array of the ids this pool runs),
--             :since (the time of the first claim in doubt: only jobs claimed since), :now
-- Returns:    the ids given back.
-- Guarantees: only this pool's running jobs that it does not hold; the claim's token is not
-- reused (the next claim raises it again), so nothing of the lost claim can write after this.
UPDATE ${qualified_prefix}jobs
SET state = 'pending',
    attempt = attempt - 1,
    lease_until = NULL,
    run_at = :now,
    updated_at = :now
WHERE state = 'running'
  AND lease_owner = :owner
  AND claimed_at >= :since
  AND id NOT IN (SELECT CAST(jsonb_array_elements_text(CAST(:held AS jsonb)) AS bigint))
RETURNING id

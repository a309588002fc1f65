-- Rescue jobs whose lease expired: each goes back to pending for an immediate retry, or to
-- failed when it has used all its attempts. The attempt that was cut off counts.
--
-- Parameters: :ids (JSON array, from select_expired.sql in the same transaction), :now
-- Returns:    id, state (pending or failed) and has_dependents of each rescued job.
-- Guarantees: re-checks that each job is still running with an expired lease.
UPDATE ${qualified_prefix}jobs
SET state = CASE WHEN attempt >= max_attempts THEN 'failed' ELSE 'pending' END,
    run_at = :now,
    run_trigger = 'retry',
    lease_until = NULL,
    last_error = 'lease expired: worker ' || COALESCE(lease_owner, '?') || ' stopped renewing it during attempt ' || attempt,
    finished_at = CASE WHEN attempt >= max_attempts THEN CAST(:now AS timestamptz) END,
    updated_at = :now
WHERE id IN (SELECT CAST(jsonb_array_elements_text(CAST(:ids AS jsonb)) AS bigint))
  AND state = 'running'
  AND lease_until < :now
RETURNING
    id,
    state,
    has_dependents

-- End one attempt other than by success: a retry later, a final failure, a snooze, or a
-- release at shutdown. Fenced by the claim's token.
--
-- Parameters: :id, :token, :state ('pending' or 'failed'), :run_at, :attempt_delta (-1 gives
--             the attempt back: snooze, release), :run_trigger (null keeps it), :error,
--             :finished_at (null unless failed), :now.
-- Returns:    id, has_dependents and state when recorded; no row when the lease was lost.
UPDATE ${qualified_prefix}jobs
SET state = :state,
    run_at = :run_at,
    attempt = attempt + :attempt_delta,
    run_trigger = COALESCE(:run_trigger, run_trigger),
    last_error = :error,
    lease_until = NULL,
    finished_at = :finished_at,
    updated_at = :now
WHERE id = :id
  AND lease_token = :token
  AND state = 'running'
RETURNING
    id,
    has_dependents,
    state

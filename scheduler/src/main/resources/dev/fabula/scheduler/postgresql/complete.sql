-- Record a batch of successful attempts, fenced by each claim's token.
--
-- Parameters: :batch, a JSON array of {"id", "token", "finished_at" (ISO-8601), "output" (JSON
--             text or null)}.
-- Returns:    one row per job recorded: id, has_dependents and the columns its history row needs.
--             A job missing from the result was not recorded: its lease was lost (rescued,
--             cancelled or claimed again), and the state the other party wrote stands.
UPDATE ${qualified_prefix}jobs AS j
SET state = 'succeeded',
    output = CAST(d.output AS jsonb),
    last_error = NULL,
    lease_until = NULL,
    finished_at = d.finished_at,
    updated_at = d.finished_at
FROM jsonb_to_recordset(CAST(:batch AS jsonb)) AS d(id bigint, token bigint, finished_at timestamptz, output text)
WHERE j.id = d.id
  AND j.lease_token = d.token
  AND j.state = 'running'
RETURNING
    j.id,
    j.has_dependents,
    j.state

-- Record a batch of successful attempts, fenced by each claim's token.
--
-- Parameters: :batch, a JSON array of {"id", "token", "finished_at" (microseconds), "output"
--             (JSON text or null)}; other members are ignored.
-- History:    not written here: the caller inserts the history rows of the recorded jobs
--             (insert_runs.sql) in the same transaction. (PostgreSQL's complete.sql writes them
--             itself; SQLite runs in process, so a second statement costs no round trip.)
-- Returns:    one row per job recorded: id, has_dependents, state. A job missing from the result
--             was not recorded: its lease was lost, and the state the other party wrote stands.
UPDATE ${qualified_prefix}jobs
SET state = 'succeeded',
    output = d.output,
    last_error = NULL,
    lease_until = NULL,
    finished_at = d.finished_at,
    updated_at = d.finished_at
FROM (
    SELECT
        json_extract(value, '$.id') AS id,
        json_extract(value, '$.token') AS token,
        json_extract(value, '$.finished_at') AS finished_at,
        json_extract(value, '$.output') AS output
    FROM json_each(:batch)
) AS d
WHERE ${qualified_prefix}jobs.id = d.id
  AND ${qualified_prefix}jobs.lease_token = d.token
  AND ${qualified_prefix}jobs.state = 'running'
RETURNING
    id,
    has_dependents,
    state

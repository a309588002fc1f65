-- Record a batch of successful attempts, fenced by each claim's token, and their history rows:
-- one statement (and one round trip) for the whole batch.
--
-- Parameters: :batch, a JSON array of {"id", "token", "started_at", "finished_at" (ISO-8601),
--             "duration_ms", "output" (JSON text or null)}; :worker, the worker pool's id.
-- Returns:    one row per job recorded: id, has_dependents. A job missing from the result was not
--             recorded, and has no history row from this statement: its lease was lost (rescued,
--             cancelled or claimed again), and the state the other party wrote stands.
--
-- Guarantees: the history row of a success is inserted by the same statement that marks the job
-- succeeded, from the row it updated (type, queue, attempt, trigger as claimed: the token
-- fences out any change since the claim), so a recorded success always has its history row and a
-- fenced-out one never does. A data-modifying WITH runs whether or not the outer query reads it.
WITH d AS (
    SELECT *
    FROM jsonb_to_recordset(CAST(:batch AS jsonb)) AS r(
        id bigint,
        token bigint,
        started_at timestamptz,
        finished_at timestamptz,
        duration_ms bigint,
        output text
    )
),
done AS (
    UPDATE ${qualified_prefix}jobs AS j
    SET state = 'succeeded',
        output = CAST(d.output AS jsonb),
        last_error = NULL,
        lease_until = NULL,
        finished_at = d.finished_at,
        updated_at = d.finished_at
    FROM d
    WHERE j.id = d.id
      AND j.lease_token = d.token
      AND j.state = 'running'
    RETURNING
        j.id,
        j.has_dependents,
        j.job_type,
        j.queue,
        j.attempt,
        j.run_trigger,
        j.parent_id,
        j.schedule_name,
        j.scheduled_for,
        j.output,
        d.started_at,
        d.finished_at,
        d.duration_ms
),
runs AS (
    INSERT INTO ${qualified_prefix}job_runs (
        job_id,
        job_type,
        queue,
        attempt,
        run_trigger,
        parent_id,
        schedule_name,
        scheduled_for,
        worker,
        started_at,
        finished_at,
        duration_ms,
        outcome,
        error,
        output
    )
    SELECT
        done.id,
        done.job_type,
        done.queue,
        done.attempt,
        done.run_trigger,
        done.parent_id,
        done.schedule_name,
        done.scheduled_for,
        :worker,
        done.started_at,
        done.finished_at,
        done.duration_ms,
        'succeeded',
        NULL,
        done.output
    FROM done
)
SELECT
    done.id,
    done.has_dependents
FROM done

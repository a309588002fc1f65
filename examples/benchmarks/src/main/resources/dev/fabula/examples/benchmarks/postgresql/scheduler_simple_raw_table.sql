-- Benchmark baseline only (SchedulerWorkload): the simplest correct job table, as the issue's
-- "simple raw" limit defines it: a narrow row (id, queue, due time, state, lease owner and until,
-- a small payload), nothing else.
-- Parameters: none.
CREATE TABLE ${qualified_prefix}simple_jobs (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    queue        text        NOT NULL,
    run_at       timestamptz NOT NULL,
    state        smallint    NOT NULL,
    lease_owner  text,
    lease_until  timestamptz,
    payload      jsonb
)

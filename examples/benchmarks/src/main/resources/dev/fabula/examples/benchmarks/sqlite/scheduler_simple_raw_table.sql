-- Benchmark baseline only (SchedulerWorkload): the simplest correct job table, as the issue's
-- "simple raw" limit defines it: a narrow row (id, queue, due time in microseconds since the
-- epoch, state, lease owner and until, a small payload), nothing else.
-- Parameters: none.
CREATE TABLE ${qualified_prefix}simple_jobs (
    id           INTEGER PRIMARY KEY,
    queue        TEXT    NOT NULL,
    run_at       INTEGER NOT NULL,
    state        INTEGER NOT NULL,
    lease_owner  TEXT,
    lease_until  INTEGER,
    payload      TEXT
)

-- Benchmark baseline only (SchedulerWorkload): the partial index on ready jobs (state 0) that the
-- simple raw claim reads.
-- Parameters: none.
CREATE INDEX ${prefix}simple_jobs_ready_ix ON ${qualified_prefix}simple_jobs (queue, run_at, id)
    WHERE state = 0

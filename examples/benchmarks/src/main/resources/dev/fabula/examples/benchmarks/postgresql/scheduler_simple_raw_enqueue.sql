-- Benchmark baseline only (SchedulerWorkload): enqueue one ready job (state 0), due now.
-- Parameters: :queue, :now, :payload (JSON text)
-- Returns:    nothing.
INSERT INTO ${qualified_prefix}simple_jobs (
    queue,
    run_at,
    state,
    payload
)
VALUES (
    :queue,
    :now,
    0,
    CAST(:payload AS jsonb)
)

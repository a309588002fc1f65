-- Whether any pending job is due: a single-writer database's dispatcher asks this (a read) before
-- it opens a write transaction to claim, so a poll that finds nothing takes no write lock.
-- Parameters: :due_by (now plus the tolerance of readings of the database clock, as the claim's)
-- Returns:    one row: true if a claim could find a job (it may still find none: a paused or
--             limited scope, a type or queue the pool does not take).
SELECT EXISTS (
    SELECT 1
    FROM ${qualified_prefix}jobs
    WHERE state = 'pending'
      AND run_at <= :due_by
)

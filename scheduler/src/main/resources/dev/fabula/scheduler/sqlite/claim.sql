-- Claim due jobs for a worker pool: the fast path, used while no concurrency limit is set.
--
-- Parameters: :now, :due_by (now plus the tolerance of readings of the database clock:
--             jobs due by then are taken), :lease_until, :owner (worker id), :limit (free worker slots),
--             :all_types / :types (JSON array of job types the pool handles),
--             :all_queues / :queues (JSON array of queues the pool serves).
-- Returns:    the claimed jobs (all job columns) after the claim: state 'running', attempt and
--             lease_token one higher than before.
--
-- INDEXED BY: without statistics SQLite prefers the (state, job_type) index and sorts every
-- pending row; the partial index of pending rows is already in claim order.
-- Guarantees: SQLite has one writer at a time and the caller holds the write lock, so the
-- UPDATE … RETURNING is atomic: no other claim can take the same rows. Highest priority first,
-- then earliest run_at. Jobs in a paused scope, or in a scope that has a concurrency limit, are
-- left to claim_limited.sql.
UPDATE ${qualified_prefix}jobs
SET state = 'running',
    attempt = attempt + 1,
    lease_token = lease_token + 1,
    lease_owner = :owner,
    lease_until = :lease_until,
    claimed_at = :now,
    updated_at = :now
WHERE id IN (
    SELECT c.id
    FROM ${qualified_prefix}jobs AS c INDEXED BY ${prefix}jobs_runnable_ix
    WHERE c.state = 'pending'
      AND c.run_at <= :due_by
      AND (:all_types OR c.job_type IN (SELECT value FROM json_each(:types)))
      AND (:all_queues OR c.queue IN (SELECT value FROM json_each(:queues)))
      AND NOT EXISTS (
          SELECT 1
          FROM ${qualified_prefix}job_controls AS k
          WHERE (k.paused OR k.max_running IS NOT NULL)
            AND (k.scope = 'global'
                 OR (k.scope = 'queue' AND k.name = c.queue)
                 OR (k.scope = 'type' AND k.name = c.job_type)))
    ORDER BY c.priority DESC, c.run_at, c.id
    LIMIT :limit
)
RETURNING
    ${job_columns_bare}

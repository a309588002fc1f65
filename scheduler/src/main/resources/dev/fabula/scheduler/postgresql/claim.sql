-- Claim due jobs for a worker pool: the fast path, used while no concurrency limit is set.
--
-- Parameters: :now, :due_by (now plus the tolerance of readings of the database clock:
--             jobs due by then are taken), :lease_until, :owner (worker id), :limit (free worker slots),
--             :all_types / :types (JSON array of job types the pool handles),
--             :all_queues / :queues (JSON array of queues the pool serves).
-- Returns:    the claimed jobs (all job columns) after the claim: state 'running', attempt and
--             lease_token one higher than before.
--
-- Guarantees: one statement that locks only the rows it takes. The id list is an uncorrelated
-- ARRAY(subquery), which PostgreSQL evaluates once, before the update: LIMIT is applied while
-- rows are locked, rows locked by other claimers are skipped (SKIP LOCKED), and the subquery is
-- never re-run for another row (as an IN (subquery) join may be). Highest priority first, then
-- earliest run_at, read from the partial index of pending rows. Jobs in a paused scope, or in a
-- scope that has a concurrency limit, are left to claim_limited.sql.
UPDATE ${qualified_prefix}jobs AS j
SET state = 'running',
    attempt = j.attempt + 1,
    lease_token = j.lease_token + 1,
    lease_owner = :owner,
    lease_until = :lease_until,
    claimed_at = :now,
    updated_at = :now
WHERE j.id = ANY(ARRAY(
    SELECT c.id
    FROM ${qualified_prefix}jobs AS c
    WHERE c.state = 'pending'
      AND c.run_at <= :due_by
      AND (:all_types OR c.job_type IN (SELECT jsonb_array_elements_text(CAST(:types AS jsonb))))
      AND (:all_queues OR c.queue IN (SELECT jsonb_array_elements_text(CAST(:queues AS jsonb))))
      AND NOT EXISTS (
          SELECT 1
          FROM ${qualified_prefix}job_controls AS k
          WHERE (k.paused OR k.max_running IS NOT NULL)
            AND (k.scope = 'global'
                 OR (k.scope = 'queue' AND k.name = c.queue)
                 OR (k.scope = 'type' AND k.name = c.job_type)))
    ORDER BY c.priority DESC, c.run_at, c.id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
))
RETURNING
    ${job_columns}

-- Claim due jobs while concurrency limits are set (overall, per queue, per job type).
--
-- Parameters: as claim.sql, plus :scan (how many candidates to rank).
-- Returns:    the claimed jobs (all job columns), as claim.sql.
--
-- INDEXED BY: the partial index of pending rows is already in claim order (see claim.sql).
-- Guarantees: the caller holds the write lock, so the running counts cannot change under it. A
-- scope takes at most its free room (limit - running): candidates in a full scope are excluded
-- first, then ranked within their queue and type and cut at each scope's room, then overall.
-- The cut only ever takes fewer jobs than allowed, never more.
WITH running AS (
    SELECT queue, job_type, count(*) AS n
    FROM ${qualified_prefix}jobs
    WHERE state = 'running'
    GROUP BY queue, job_type
),
room AS (
    SELECT
        k.scope,
        k.name,
        k.max_running - COALESCE((
            SELECT sum(r.n)
            FROM running AS r
            WHERE k.scope = 'global'
               OR (k.scope = 'queue' AND r.queue = k.name)
               OR (k.scope = 'type' AND r.job_type = k.name)), 0) AS free
    FROM ${qualified_prefix}job_controls AS k
    WHERE k.max_running IS NOT NULL
),
candidates AS (
    SELECT c.id, c.queue, c.job_type, c.priority, c.run_at
    FROM ${qualified_prefix}jobs AS c INDEXED BY ${prefix}jobs_runnable_ix
    WHERE c.state = 'pending'
      AND c.run_at <= :due_by
      AND (:all_types OR c.job_type IN (SELECT value FROM json_each(:types)))
      AND (:all_queues OR c.queue IN (SELECT value FROM json_each(:queues)))
      AND NOT EXISTS (
          SELECT 1
          FROM ${qualified_prefix}job_controls AS k
          WHERE k.paused
            AND (k.scope = 'global'
                 OR (k.scope = 'queue' AND k.name = c.queue)
                 OR (k.scope = 'type' AND k.name = c.job_type)))
      AND NOT EXISTS (
          SELECT 1
          FROM room AS f
          WHERE f.free <= 0
            AND (f.scope = 'global'
                 OR (f.scope = 'queue' AND f.name = c.queue)
                 OR (f.scope = 'type' AND f.name = c.job_type)))
    ORDER BY c.priority DESC, c.run_at, c.id
    LIMIT :scan
),
ranked AS (
    SELECT
        c.id,
        c.queue,
        c.job_type,
        c.priority,
        c.run_at,
        row_number() OVER (PARTITION BY c.queue ORDER BY c.priority DESC, c.run_at, c.id) AS queue_rank,
        row_number() OVER (PARTITION BY c.job_type ORDER BY c.priority DESC, c.run_at, c.id) AS type_rank
    FROM candidates AS c
),
allowed AS (
    SELECT
        r.id,
        row_number() OVER (ORDER BY r.priority DESC, r.run_at, r.id) AS overall_rank
    FROM ranked AS r
    WHERE r.queue_rank <= COALESCE((SELECT f.free FROM room AS f WHERE f.scope = 'queue' AND f.name = r.queue), r.queue_rank)
      AND r.type_rank <= COALESCE((SELECT f.free FROM room AS f WHERE f.scope = 'type' AND f.name = r.job_type), r.type_rank)
)
UPDATE ${qualified_prefix}jobs
SET state = 'running',
    attempt = attempt + 1,
    lease_token = lease_token + 1,
    lease_owner = :owner,
    lease_until = :lease_until,
    claimed_at = :now,
    updated_at = :now
WHERE id IN (
    SELECT a.id
    FROM allowed AS a
    WHERE a.overall_rank <= :limit
      AND a.overall_rank <= COALESCE((SELECT f.free FROM room AS f WHERE f.scope = 'global'), a.overall_rank)
)
  AND state = 'pending'
RETURNING
    ${job_columns_bare}

-- A read replica's sync point, on the primary, right after its read horizon (safe_horizon_*.sql):
-- the WAL position a replica must have replayed before it may serve reads up to that horizon.
-- Returns: target_lsn, the WAL insert position now in bytes from 0/0. It is read after the
--          horizon, so every commit record of an event at or below the horizon lies before it (a
--          transaction becomes visible only after its commit record is inserted, whether it
--          commits synchronously or not). An insert position just past a page header (nothing
--          written on the page yet) is moved back to the page boundary, where a replica's replay
--          position ends up.
--          flushed, whether this statement had to flush: when WAL before target_lsn is not yet
--          flushed (asynchronous commits, such as the store's notifications; records of
--          transactions in flight), a replica cannot receive it, and nothing may flush it soon on
--          a quiet primary. Then this statement writes a tiny transactional WAL message (no
--          table) and commits synchronously, which flushes everything before target_lsn: a
--          transaction id and one WAL flush, only when needed.
-- Guarantee: once a replica's pg_last_wal_replay_lsn() is at or past target_lsn, its snapshots
--            show every event at or below the horizon that will ever commit.
WITH inserted AS MATERIALIZED (
    SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0') AS at,
           CAST(current_setting('wal_block_size') AS numeric) AS page,
           CAST(pg_size_bytes(current_setting('wal_segment_size')) AS numeric) AS segment
),
target AS MATERIALIZED (
    SELECT CASE
               WHEN at % segment = 40 THEN at - 40 -- a segment's first page has a long header
               WHEN at % page = 24 THEN at - 24
               ELSE at
           END AS at
    FROM inserted
)
SELECT CAST(target.at AS bigint) AS target_lsn,
       CASE
           WHEN pg_wal_lsn_diff(pg_current_wal_flush_lsn(), '0/0') < target.at
               THEN set_config('synchronous_commit', 'on', true) IS NOT NULL
                   AND pg_logical_emit_message(true, 'fabula.replica_sync_point', '') IS NOT NULL
           ELSE false
       END AS flushed
FROM target

-- Step 3 of the read horizon while appends are in flight (see the fence and its namespace in
-- append.sql): places the fences of step 2, caps the horizon below the smallest, and returns the
-- newest event at or below it (rolled-back positions are absent).
-- Parameters: :handed_out (step 1's highest position handed out), :low_bits (step 2's fences, the
--             low 32 bits of their positions)
-- The sequence is read again here, after step 2 (H'): every fence seen there is at or below H' + 1
-- and above H' + 1 - 2^32, so it is exactly H' + 1 - ((H' + 1 - low_bits) mod 2^32). Step 1's
-- value would not do: a transaction may take its fence after it, with a position above it.
-- Written as ORDER BY ... DESC LIMIT 1 with the cap in a scalar subquery, not MAX() beside a WITH:
-- PostgreSQL turns MAX into a one-row index probe only in a query without CTEs, and a scan of the
-- whole index below the cap costs a second per million events (JdbcStorePostgresTest checks this).
-- OFFSET 0 keeps the sequence read a single read.
SELECT COALESCE((
    SELECT e.position
    FROM ${schema}.${prefix}events AS e
    WHERE e.position <= LEAST(
              :handed_out,
              (SELECT min(latest.ceiling - ((latest.ceiling - f.low_bits) & 4294967295)) - 1
               FROM (SELECT COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0) + 1 AS ceiling
                     OFFSET 0) AS latest
               CROSS JOIN unnest(CAST(:low_bits AS bigint[])) AS f(low_bits)))
    ORDER BY e.position DESC
    LIMIT 1), 0)

-- Step 3 of the read horizon while appends are in flight (see the fence and its namespace in
-- append.sql): places the fences of step 2, caps the horizon below the smallest, and returns the
-- newest event at or below it (rolled-back positions are absent).
-- Parameters: :handed_out (step 1's highest position handed out), :low_bits (step 2's fences, the
--             low 32 bits of their positions)
-- The sequence is read again here, after step 2 (H'): every fence seen there is at or below H' + 1
-- and above H' + 1 - 2^32, so it is exactly H' + 1 - ((H' + 1 - low_bits) mod 2^32). Step 1's
-- value would not do: a transaction may take its fence after it, with a position above it.
WITH latest AS MATERIALIZED (
    SELECT COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0) + 1 AS ceiling
),
fence AS (
    SELECT min(latest.ceiling - ((latest.ceiling - f.low_bits) & 4294967295)) AS smallest
    FROM latest
    CROSS JOIN unnest(CAST(:low_bits AS bigint[])) AS f(low_bits)
)
SELECT COALESCE(MAX(position), 0)
FROM ${schema}.${prefix}events
WHERE position <= LEAST(:handed_out, (SELECT smallest FROM fence) - 1)

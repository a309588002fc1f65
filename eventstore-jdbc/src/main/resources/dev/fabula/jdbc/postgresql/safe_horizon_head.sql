-- Step 3 of the read horizon: the newest event at or below it (rolled-back positions are absent).
-- Parameters: :horizon
SELECT COALESCE(MAX(position), 0)
FROM ${schema}.${prefix}events
WHERE position <= :horizon

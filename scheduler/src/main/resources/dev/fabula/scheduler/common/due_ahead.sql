-- How many due jobs are ahead of a pending job in claim order.
-- Parameters: :priority, :run_at, :id, :now
-- Returns:    one row: the count.
SELECT count(*)
FROM ${qualified_prefix}jobs
WHERE state = 'pending'
  AND run_at <= :now
  AND (priority > :priority
       OR (priority = :priority AND (run_at < :run_at OR (run_at = :run_at AND id < :id))))

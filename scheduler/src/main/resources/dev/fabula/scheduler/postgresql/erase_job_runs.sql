-- Erase the history (runs, with their errors and outputs) of the jobs an erasure deletes
-- (erase_jobs.sql): jobs of the tenant whose payload, headers or output holds the erased target
-- as a JSON string.
-- Parameters: :tenant_id (the namespace; '' for none), :quoted (the target as a JSON string, with
--             its quotes)
DELETE FROM ${qualified_prefix}job_runs
WHERE job_id IN (
    SELECT id
    FROM ${qualified_prefix}jobs
    WHERE tenant_id = :tenant_id
      AND (strpos(COALESCE(CAST(payload AS text), ''), :quoted) > 0
        OR strpos(COALESCE(CAST(headers AS text), ''), :quoted) > 0
        OR strpos(COALESCE(CAST(output AS text), ''), :quoted) > 0)
)

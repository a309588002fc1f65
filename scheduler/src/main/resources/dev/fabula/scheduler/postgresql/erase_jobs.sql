-- Erase the jobs of the tenant whose payload, headers or output holds the erased target as a JSON
-- string (EventStore.erase); their runs went first (erase_job_runs.sql).
-- Parameters: :tenant_id (the namespace; '' for none), :quoted (the target as a JSON string, with
--             its quotes)
DELETE FROM ${qualified_prefix}jobs
WHERE tenant_id = :tenant_id
      AND (strpos(COALESCE(CAST(payload AS text), ''), :quoted) > 0
        OR strpos(COALESCE(CAST(headers AS text), ''), :quoted) > 0
        OR strpos(COALESCE(CAST(output AS text), ''), :quoted) > 0)

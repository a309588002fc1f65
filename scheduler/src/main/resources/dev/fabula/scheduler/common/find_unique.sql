-- The unfinished job holding a unique key of a tenant's namespace.
-- Parameters: :job_type, :unique_key, :tenant_id ('' for no tenant)
-- Returns:    the job (all job columns), or no row when none is waiting, pending or running.
SELECT
    ${job_columns}
FROM ${qualified_prefix}jobs AS j
WHERE j.job_type = :job_type
  AND j.unique_key = :unique_key
  AND j.tenant_id = :tenant_id
  AND j.state IN ('waiting', 'pending', 'running')

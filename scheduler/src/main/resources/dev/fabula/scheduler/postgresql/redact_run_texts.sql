-- Blank the error (a stack trace) and output of the runs of the tenant's jobs that quote the
-- erased target.
-- Parameters: :tenant_id (the namespace; '' for none), :target, :redacted
UPDATE ${qualified_prefix}job_runs
SET error = CASE WHEN strpos(COALESCE(CAST(error AS text), ''), :target) > 0 THEN :redacted ELSE error END,
    output = CASE WHEN strpos(COALESCE(CAST(output AS text), ''), :target) > 0 THEN NULL ELSE output END
WHERE job_id IN (
    SELECT id
    FROM ${qualified_prefix}jobs
    WHERE tenant_id = :tenant_id
)
  AND (strpos(COALESCE(CAST(error AS text), ''), :target) > 0
    OR strpos(COALESCE(CAST(output AS text), ''), :target) > 0)

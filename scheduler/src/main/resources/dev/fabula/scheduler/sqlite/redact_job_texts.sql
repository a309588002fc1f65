-- Blank the free-text columns of the tenant's remaining jobs that quote the erased target: the
-- last error becomes :redacted, a unique key is dropped (it only guards against duplicates).
-- Parameters: :tenant_id (the namespace; '' for none), :target, :redacted
UPDATE ${qualified_prefix}jobs
SET last_error = CASE WHEN instr(COALESCE(last_error, ''), :target) > 0 THEN :redacted ELSE last_error END,
    unique_key = CASE WHEN instr(COALESCE(unique_key, ''), :target) > 0 THEN NULL ELSE unique_key END
WHERE tenant_id = :tenant_id
  AND (instr(COALESCE(last_error, ''), :target) > 0
    OR instr(COALESCE(unique_key, ''), :target) > 0)

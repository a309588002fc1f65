-- Takes a pending job of a tenant out of this database's queue, for a move of the tenant to another
-- database (TenantJobs.move): the job becomes cancelled, its last error naming the job that
-- replaces it. Only a pending job with neither parent nor dependents is taken: one that a worker
-- claimed meanwhile (or that belongs to a family of jobs) stays, and runs here.
-- Parameters: :id, :tenant_id, :note, :now
-- Returns:    the number of rows updated: 1, or 0 when the job was not taken.
UPDATE ${qualified_prefix}jobs
SET state = 'cancelled',
    lease_until = NULL,
    last_error = :note,
    finished_at = :now,
    updated_at = :now
WHERE id = :id
  AND tenant_id = :tenant_id
  AND state = 'pending'
  AND parent_id IS NULL
  AND NOT has_dependents

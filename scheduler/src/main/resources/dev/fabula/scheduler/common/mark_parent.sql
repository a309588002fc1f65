-- Mark a job as having dependents, before a dependent job is inserted.
-- Parameters: :parent_id, :tenant_id (the dependent's tenant; null when enqueued unconfined)
-- Returns:    the parent's state; no row when there is no such job, or (for a tenant's dependent)
--             when it is another tenant's: a tenant cannot learn whether another's job id exists.
-- Guarantees: the update locks the parent row until the caller commits, so the parent's
-- completion (which updates the same row) runs either before (the dependent sees 'succeeded'
-- and starts pending) or after the caller's commit (and then releases the dependent).
UPDATE ${qualified_prefix}jobs
SET has_dependents = true
WHERE id = :parent_id
  AND (CAST(:tenant_id AS TEXT) IS NULL OR tenant_id = :tenant_id)
RETURNING state

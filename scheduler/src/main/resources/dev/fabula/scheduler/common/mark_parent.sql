-- Mark a job as having dependents, before a dependent job is inserted.
-- Parameters: :parent_id
-- Returns:    the parent's state; no row when there is no such job.
-- Guarantees: the update locks the parent row until the caller commits, so the parent's
-- completion (which updates the same row) runs either before (the dependent sees 'succeeded'
-- and starts pending) or after the caller's commit (and then releases the dependent).
UPDATE ${qualified_prefix}jobs
SET has_dependents = true
WHERE id = :parent_id
RETURNING state

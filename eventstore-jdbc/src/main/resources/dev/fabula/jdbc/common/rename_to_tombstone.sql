-- Turns an erased stream's row (already marked deleted) into its tombstone: the id becomes a keyed
-- hash of the id (see Tombstones), the version 0. An UPDATE in place, which the application role
-- may run: it may not delete stream rows (docs/postgresql.md, "Roles and grants").
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :tombstone_id
UPDATE ${qualified_prefix}streams
SET stream_id = :tombstone_id,
    version = 0
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

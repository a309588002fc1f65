-- Delete the snapshot of one stream (after a hard delete of its events).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
-- Returns:    the number of rows deleted, 0 or 1.
DELETE FROM ${schema}.${prefix}snapshots
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

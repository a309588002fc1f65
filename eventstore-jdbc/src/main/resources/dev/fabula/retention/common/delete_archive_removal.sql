-- Forget the archive removal of an unarchived stream: its events are back in the log.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
DELETE FROM ${qualified_prefix}removals
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND kind = 'ARCHIVED'

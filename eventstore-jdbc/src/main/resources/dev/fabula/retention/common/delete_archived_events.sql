-- Remove an unarchived stream's events from cold storage.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
DELETE FROM ${qualified_prefix}archived_events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

-- Clear a stream's archive mark.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
-- Returns: the number of rows deleted (0: it was not archived).
DELETE FROM ${qualified_prefix}archived_streams
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

-- Whether a stream is archived.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
-- Returns: one row when it is.
SELECT 1
FROM ${qualified_prefix}archived_streams
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

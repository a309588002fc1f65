-- Removes a stream's row (a hard delete replaces it with a tombstone under the hashed id).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
DELETE FROM ${qualified_prefix}streams
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

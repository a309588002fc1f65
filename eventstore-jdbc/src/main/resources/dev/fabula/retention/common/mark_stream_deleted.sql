-- Set or clear a stream's deleted mark, for archiving (deleted: appends are refused) and
-- unarchiving.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :deleted
UPDATE ${qualified_prefix}streams
SET deleted = :deleted
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

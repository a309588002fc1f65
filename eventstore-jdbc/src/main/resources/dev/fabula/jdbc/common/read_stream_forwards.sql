-- Part of one stream, oldest first.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :from_version (inclusive), :limit
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND stream_version >= :from_version
ORDER BY stream_version
LIMIT :limit

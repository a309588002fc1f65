-- A stream's state.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
-- Returns:    zero or one row.
SELECT
    stream_id,
    version,
    deleted
FROM ${qualified_prefix}streams
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

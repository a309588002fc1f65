-- A stream's state.
-- Parameters: :stream_id
-- Returns:    zero or one row.
SELECT
    stream_id,
    version,
    tenant_id,
    deleted
FROM ${schema}.${prefix}streams
WHERE stream_id = :stream_id

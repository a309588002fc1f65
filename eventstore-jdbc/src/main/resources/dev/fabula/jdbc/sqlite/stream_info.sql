-- A stream's state.
-- Parameters: :stream_id
SELECT
    stream_id,
    version,
    tenant_id,
    deleted
FROM ${prefix}streams
WHERE stream_id = :stream_id

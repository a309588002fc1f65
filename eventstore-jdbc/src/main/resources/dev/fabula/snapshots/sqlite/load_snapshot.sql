-- The snapshot of one stream.
-- Parameters: :stream_id
-- Returns:    zero or one row.
SELECT
    stream_id,
    version,
    state_schema_version,
    state,
    taken_at
FROM ${prefix}snapshots
WHERE stream_id = :stream_id

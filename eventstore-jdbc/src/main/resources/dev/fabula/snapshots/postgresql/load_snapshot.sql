-- The snapshot of one stream.
-- Parameters: :stream_id
-- Returns:    zero or one row.
SELECT
    stream_id,
    version,
    state_schema_version,
    state::text AS state,
    taken_at
FROM ${schema}.${prefix}snapshots
WHERE stream_id = :stream_id

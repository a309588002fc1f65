-- The snapshot of one stream.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
-- Returns:    zero or one row.
SELECT
    stream_id,
    version,
    state_schema_version,
    state,
    taken_at
FROM ${prefix}snapshots
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

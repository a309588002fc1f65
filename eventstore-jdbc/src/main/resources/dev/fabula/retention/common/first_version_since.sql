-- The oldest version of a stream recorded at or after an instant (max-age retention cuts there).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :since
-- Returns: one row; null when every event is older.
SELECT MIN(stream_version)
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND recorded_at >= :since

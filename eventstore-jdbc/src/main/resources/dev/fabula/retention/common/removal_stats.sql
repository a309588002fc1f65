-- What removing a stream's events below a version would remove.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :before_version
-- Returns: one row: from_version, to_version, first_position, last_position, event_count (0 and
--          nulls when nothing is below the version).
SELECT
    MIN(stream_version) AS from_version,
    MAX(stream_version) AS to_version,
    MIN(position) AS first_position,
    MAX(position) AS last_position,
    COUNT(*) AS event_count
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND stream_version < :before_version

-- An archived stream's events, oldest first.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
SELECT
    ${event_columns}
FROM ${qualified_prefix}archived_events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
ORDER BY stream_version

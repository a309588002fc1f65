-- A tenant's newest stored event among some of its streams (none: no row).
-- Parameters: :tenant_id, :stream_ids (an array)
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = ANY(:stream_ids)
ORDER BY position DESC
LIMIT 1

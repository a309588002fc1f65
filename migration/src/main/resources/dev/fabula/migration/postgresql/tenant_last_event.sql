-- A tenant's newest stored event, committed or not yet visible to others (none: no row).
-- Parameters: :tenant_id
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
ORDER BY position DESC
LIMIT 1

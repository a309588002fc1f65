-- The stored events of a namespace carrying any of the given ids: what a retried append finds
-- (see append.sql).
-- Parameters: :tenant_id (the namespace; '' for none), :event_ids uuid[]
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND event_id = ANY(CAST(:event_ids AS uuid[]))

-- The stored events carrying any of the given ids: what a retried append finds (see append.sql).
-- Parameters: :event_ids uuid[]
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE event_id = ANY(CAST(:event_ids AS uuid[]))

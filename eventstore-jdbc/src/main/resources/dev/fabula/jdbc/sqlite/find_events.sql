-- The stored events of a namespace carrying any of the given ids (an append's idempotency check).
-- Parameters: :tenant_id (the namespace; '' for none), :event_ids, a JSON array of id strings
SELECT
    ${event_columns}
FROM ${prefix}events
WHERE tenant_id = :tenant_id
  AND event_id IN (SELECT value FROM json_each(:event_ids))

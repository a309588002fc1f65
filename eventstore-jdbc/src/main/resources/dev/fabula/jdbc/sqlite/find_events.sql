-- The stored events carrying any of the given ids (an append's idempotency check).
-- Parameters: :event_ids, a JSON array of id strings
SELECT
    ${event_columns}
FROM ${prefix}events
WHERE event_id IN (SELECT value FROM json_each(:event_ids))

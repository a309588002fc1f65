-- One page of the global log (keyset pagination: no cursor stays open between pages).
-- Parameters: :after (exclusive), :until (inclusive; at most the horizon from safe_horizon_*.sql), :limit,
--             :types text[], :categories text[] (empty: no filter), :tenant_id (null: every
--             namespace; '' the unconfined store's streams only)
-- Guarantee: never returns a position above the horizon, so a reader that continues after the
-- last position it saw never skips an event that commits late.
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE position > :after
  AND position <= :until
  AND (cardinality(CAST(:types AS text[])) = 0 OR event_type = ANY(CAST(:types AS text[])))
  AND (cardinality(CAST(:categories AS text[])) = 0 OR category = ANY(CAST(:categories AS text[])))
  AND (CAST(:tenant_id AS text) IS NULL OR tenant_id = :tenant_id)
ORDER BY position
LIMIT :limit

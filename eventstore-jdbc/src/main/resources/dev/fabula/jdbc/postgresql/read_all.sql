-- One page of the global log (keyset pagination: no cursor stays open between pages).
-- Parameters: :after (exclusive), :until (inclusive; at most the horizon from safe_horizon_*.sql), :limit,
--             :types text[], :categories text[] (empty: no filter), :tenant_id (null: every
--             namespace; '' the unconfined store's streams only)
-- Guarantee: never returns a position above the horizon, so a reader that continues after the
-- last position it saw never skips an event that commits late.
SELECT
    ${event_columns}
${read_all_page}
-- One page of the global log (keyset pagination).
-- Parameters: :after (exclusive), :until (inclusive, at most the horizon), :limit, :types and :categories (JSON
--             arrays; '[]' for no filter), :tenant_id (null: every namespace; '' the unconfined
--             store's streams only)
-- SQLite commits one writer at a time and hands out positions under the write lock, so every
-- committed position is visible before any larger one: the horizon is simply the largest.
SELECT
    ${event_columns}
${read_all_page}
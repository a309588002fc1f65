-- One page of an import's failed rows in (row_key, kind) order, after a keyset cursor.
-- Parameters: :name, :after_key and :after_kind (the last row of the previous page; '' and '' for
--             the first page: every key and kind sorts after the empty text), :limit.
-- Returns:    at most :limit rows; the primary key (name, row_key, kind) serves the order.
SELECT
    row_key,
    kind,
    reason
FROM ${qualified_prefix}migration_import_failures
WHERE name = :name
  AND (row_key > :after_key OR (row_key = :after_key AND kind > :after_kind))
ORDER BY row_key, kind
LIMIT :limit

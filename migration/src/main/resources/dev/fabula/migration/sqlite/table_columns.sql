-- The columns of a legacy table, for the capture triggers' json_object(...).
-- Placeholders: ${legacy_table}, a validated identifier (PRAGMA takes no parameters).
SELECT name FROM pragma_table_info('${legacy_table}') ORDER BY cid

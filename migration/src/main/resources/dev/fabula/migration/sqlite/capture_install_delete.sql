-- Installs the DELETE capture trigger on a legacy table: the row (old and new, as JSON of the
-- listed columns, read with PRAGMA table_info) goes to the capture table in the writer's transaction.
-- Placeholders: ${trigger_name}, ${legacy_table}, ${table_literal}, ${old_json}, ${new_json}:
--               validated identifiers and the json_object(...) built from them (DDL takes no parameters).
CREATE TRIGGER ${trigger_name}_d
AFTER DELETE ON ${legacy_table}
FOR EACH ROW
BEGIN
    INSERT INTO ${qualified_prefix}migration_capture (table_name, operation, old_row, new_row)
    VALUES (${table_literal}, 'D', ${old_json}, NULL);
END

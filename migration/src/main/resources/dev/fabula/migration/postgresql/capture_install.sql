-- Installs the capture trigger on a legacy table: every insert, update and delete of a row is
-- recorded (old and new row as JSON) in the capture table, in the writer's own transaction.
-- Placeholders: ${trigger_name} and ${legacy_table}, validated identifiers (DDL takes no parameters).
CREATE TRIGGER ${trigger_name}
AFTER INSERT OR UPDATE OR DELETE ON ${legacy_table}
FOR EACH ROW EXECUTE FUNCTION ${qualified_prefix}migration_capture()

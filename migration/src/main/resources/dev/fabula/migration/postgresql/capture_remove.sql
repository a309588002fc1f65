-- Removes the capture trigger; the legacy table is left exactly as before the install.
-- Placeholders: ${trigger_name} and ${legacy_table}, validated identifiers.
DROP TRIGGER IF EXISTS ${trigger_name} ON ${legacy_table}

-- Removes the UPDATE capture trigger; the legacy table is left exactly as before the install.
-- Placeholders: ${trigger_name}, a validated identifier.
DROP TRIGGER IF EXISTS ${trigger_name}_u

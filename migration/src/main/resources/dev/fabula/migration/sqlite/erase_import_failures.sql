-- Erase the import failures of legacy rows keyed by an erased id, or whose reason quotes it
-- (EventStore.erase through the unconfined store: these tables have no tenant).
-- Parameters: :target
DELETE FROM ${qualified_prefix}migration_import_failures
WHERE row_key = :target
   OR instr(COALESCE(reason, ''), :target) > 0

-- Erase the captured changes of legacy rows that hold an erased id (EventStore.erase through the
-- unconfined store: these tables have no tenant). A row matches when its old or new image holds
-- :needle, the id as a JSON string (with its quotes) or, for a number, as a JSON member value.
-- Parameters: :needle
DELETE FROM ${qualified_prefix}migration_capture
WHERE instr(COALESCE(old_row, ''), :needle) > 0
   OR instr(COALESCE(new_row, ''), :needle) > 0

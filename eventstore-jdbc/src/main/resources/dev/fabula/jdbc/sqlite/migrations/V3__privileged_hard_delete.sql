-- Fabula event store schema, version 3, SQLite: nothing to change.
-- On PostgreSQL this version makes hard deletes go through a function only privileged roles may
-- call. A SQLite database is one file with no roles: whoever can write the file can change it, so
-- hard deletes keep the per-stream escape hatch of version 1 (allow_hard_delete.sql). The one
-- statement below does nothing; it is here so that every migration tool runs the file as a script.
SELECT 1;

-- Fabula scheduler schema, version 4, SQLite: a schedule can be paused on its own (see the
-- PostgreSQL script). paused is 0 or 1.
ALTER TABLE ${qualified_prefix}job_schedules ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));

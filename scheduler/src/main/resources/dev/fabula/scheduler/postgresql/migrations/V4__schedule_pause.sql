-- Fabula scheduler schema, version 4, PostgreSQL: a schedule can be paused on its own
-- (JobQueue.pauseSchedule). A paused schedule makes no jobs; its next occurrence stays where it was,
-- so on resume its missed-run policy decides what to do with the occurrences it slept through.
ALTER TABLE ${qualified_prefix}job_schedules ADD COLUMN paused boolean NOT NULL DEFAULT false;

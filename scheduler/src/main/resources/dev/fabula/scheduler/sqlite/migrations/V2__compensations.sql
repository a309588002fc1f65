-- Fabula scheduler schema, version 2, SQLite: compensating jobs.
-- A job with on_parent_failure runs only if its parent does not succeed, and is cancelled when
-- the parent succeeds (JobRequest.afterFailureOf).
ALTER TABLE ${qualified_prefix}jobs ADD COLUMN on_parent_failure INTEGER NOT NULL DEFAULT 0;

-- Fabula scheduler schema, version 2, PostgreSQL 14+: compensating jobs.
-- A job with on_parent_failure runs only if its parent does not succeed, and is cancelled when
-- the parent succeeds (JobRequest.afterFailureOf). Adding a column with a constant default
-- rewrites nothing.
ALTER TABLE ${qualified_prefix}jobs ADD COLUMN on_parent_failure boolean NOT NULL DEFAULT false;

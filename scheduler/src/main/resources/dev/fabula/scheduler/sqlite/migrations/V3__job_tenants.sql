-- Fabula scheduler schema, version 3, SQLite: jobs carry the tenant that enqueued them, and unique
-- keys are unique per tenant (see the PostgreSQL script). tenant_id is '' for a job of no tenant;
-- jobs from version 2 are of no tenant.
ALTER TABLE ${qualified_prefix}jobs ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '';

DROP INDEX ${prefix}jobs_unique_key_uk;

-- At most one unfinished job per (tenant, type, unique key): a second enqueue finds the first.
CREATE UNIQUE INDEX ${prefix}jobs_unique_key_uk ON ${qualified_prefix}jobs (tenant_id, job_type, unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('waiting', 'pending', 'running');

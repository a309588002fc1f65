-- Fabula scheduler schema, version 3, PostgreSQL 14+: jobs carry the tenant that enqueued them.
-- Since event store schema 2, each tenant has a namespace of its own; a job enqueued in a tenant's
-- unit of work (queue.enqueue(tx.forTenant(t), ...)) belongs to that tenant:
--   tenant_id  the tenant, '' for a job of no tenant (the unconfined store, schedules)
-- Unique keys become unique per tenant, so that two tenants' 'invoice-1' never meet: an enqueue
-- that finds the key held gets its own tenant's job back, never another tenant's. Jobs from
-- version 2 are of no tenant.
ALTER TABLE ${qualified_prefix}jobs ADD COLUMN tenant_id text NOT NULL DEFAULT '';

DROP INDEX ${schema}.${prefix}jobs_unique_key_uk;

-- At most one unfinished job per (tenant, type, unique key): a second enqueue finds the first.
CREATE UNIQUE INDEX ${prefix}jobs_unique_key_uk ON ${qualified_prefix}jobs (tenant_id, job_type, unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('waiting', 'pending', 'running');

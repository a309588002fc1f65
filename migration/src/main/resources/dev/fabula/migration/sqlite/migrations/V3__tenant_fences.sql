-- Tenant fences, for moving a tenant between databases. Moves run on PostgreSQL only; the table
-- exists on SQLite so that both dialects number their migrations alike (see the PostgreSQL script).
CREATE TABLE ${prefix}migration_tenant_fences (
    tenant_id   TEXT    NOT NULL PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('in', 'out')),
    database    TEXT    NOT NULL,
    fenced_at   INTEGER NOT NULL DEFAULT 0
);

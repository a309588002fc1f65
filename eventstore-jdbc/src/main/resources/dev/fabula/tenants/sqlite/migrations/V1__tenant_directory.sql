-- Fabula tenant directory, version 1, SQLite 3.35+ (component "tenant_directory").
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
--
-- Which database each tenant lives in, for a store spread over several databases
-- (TenantDatabases); see the PostgreSQL script for the columns. updated_at: microseconds since the
-- Unix epoch.
CREATE TABLE ${prefix}tenant_directory (
    tenant_id      TEXT    NOT NULL PRIMARY KEY,
    database_name  TEXT    NOT NULL,
    moving_to      TEXT    CHECK (moving_to IS NULL OR moving_to <> database_name),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     INTEGER NOT NULL DEFAULT 0
);

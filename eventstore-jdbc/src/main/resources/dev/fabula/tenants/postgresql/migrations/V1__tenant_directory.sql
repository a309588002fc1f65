-- Fabula tenant directory, version 1, PostgreSQL 14+ (component "tenant_directory").
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
--
-- Which database each tenant lives in, for a store spread over several databases
-- (TenantDatabases). Kept in the home database; the other databases have the table too, empty.
--   database_name  the name the application gives the database (TenantDatabases.open's map key)
--   moving_to      the database a move is copying the tenant to, or null: set when a move begins,
--                  cleared when it switches (database_name becomes moving_to) or is abandoned
--   version        bumped by every change, for optimistic updates
CREATE TABLE ${schema}.${prefix}tenant_directory (
    tenant_id      text        NOT NULL,
    database_name  text        NOT NULL,
    moving_to      text,
    version        bigint      NOT NULL DEFAULT 1,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ${prefix}tenant_directory_pk PRIMARY KEY (tenant_id),
    CONSTRAINT ${prefix}tenant_directory_move_ck CHECK (moving_to IS NULL OR moving_to <> database_name)
);

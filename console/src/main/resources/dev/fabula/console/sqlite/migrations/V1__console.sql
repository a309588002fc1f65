-- Fabula console schema, version 1, SQLite 3.35+.
-- Placeholders: ${prefix} the table prefix (${qualified_prefix} is the same on SQLite).
-- Timestamps are INTEGER microseconds since the Unix epoch. See the PostgreSQL script.
CREATE TABLE ${qualified_prefix}console_audit (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    tenant_id   TEXT    NOT NULL DEFAULT '',
    outcome     TEXT    NOT NULL
);

CREATE INDEX ${prefix}console_audit_tenant_ix ON ${qualified_prefix}console_audit (tenant_id, id);

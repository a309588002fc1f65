-- Fabula erasure, version 1, SQLite (component "erasure").
-- Placeholders (Flyway syntax): ${prefix} the table prefix.
-- Applied by JdbcEventStore.migrate (and `fabula migrate`) with the event store's tables.
--
-- The store's erasure secret: one random key, created by the first erasure (or hard delete) and
-- never changed. Tombstones of erased streams and erasure records hold HMAC-SHA-256 hashes under
-- it instead of the erased ids.
CREATE TABLE ${prefix}erasure_secret (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    secret      BLOB    NOT NULL CHECK (length(secret) = 32),
    created_at  INTEGER NOT NULL
);

-- One row per EventStore.erase: the audit trail of erasures, never the erased data.
--   tenant_id    the tenant's namespace ('' for the unconfined store)
--   kind         SUBJECT or STREAM
--   target_hash  HMAC of (tenant, kind, target) under the secret: finds the records of a target
--   counts       JSON object: rows erased per participant
CREATE TABLE ${prefix}erasures (
    id            TEXT    NOT NULL PRIMARY KEY,
    tenant_id     TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('SUBJECT', 'STREAM')),
    target_hash   TEXT    NOT NULL,
    erased_at     INTEGER NOT NULL,
    requested_by  TEXT    NOT NULL,
    counts        TEXT    NOT NULL
);

CREATE INDEX ${prefix}erasures_tenant_ix ON ${prefix}erasures (tenant_id, erased_at);
CREATE INDEX ${prefix}erasures_target_ix ON ${prefix}erasures (tenant_id, target_hash);

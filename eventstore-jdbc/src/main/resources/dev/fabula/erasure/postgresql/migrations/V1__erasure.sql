-- Fabula erasure, version 1, PostgreSQL 14+ (component "erasure").
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Applied by JdbcEventStore.migrate (and `fabula migrate`) with the event store's tables.
--
-- The store's erasure secret: one random key, created by the first erasure (or hard delete) and
-- never changed. Tombstones of erased streams and erasure records hold HMAC-SHA-256 hashes under
-- it instead of the erased ids. Whoever reads it can test guessed ids against the hashes: grant it
-- like the personal data key table.
CREATE TABLE ${schema}.${prefix}erasure_secret (
    id          integer     NOT NULL,
    secret      bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT ${prefix}erasure_secret_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}erasure_secret_ck CHECK (id = 1 AND octet_length(secret) = 32)
);

-- One row per EventStore.erase: the audit trail of erasures, never the erased data.
--   tenant_id    the tenant's namespace ('' for the unconfined store)
--   kind         SUBJECT or STREAM
--   target_hash  HMAC of (tenant, kind, target) under the secret: finds the records of a target
--   counts       JSON object: rows erased per participant
CREATE TABLE ${schema}.${prefix}erasures (
    id            text        NOT NULL,
    tenant_id     text        NOT NULL,
    kind          text        NOT NULL,
    target_hash   text        NOT NULL,
    erased_at     timestamptz NOT NULL,
    requested_by  text        NOT NULL,
    counts        text        NOT NULL,
    CONSTRAINT ${prefix}erasures_pk PRIMARY KEY (id),
    CONSTRAINT ${prefix}erasures_kind_ck CHECK (kind IN ('SUBJECT', 'STREAM'))
);

CREATE INDEX ${prefix}erasures_tenant_ix ON ${schema}.${prefix}erasures (tenant_id, erased_at);
CREATE INDEX ${prefix}erasures_target_ix ON ${schema}.${prefix}erasures (tenant_id, target_hash);

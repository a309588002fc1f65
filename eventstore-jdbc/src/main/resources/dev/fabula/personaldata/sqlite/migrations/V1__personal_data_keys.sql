-- Fabula personal data keys, version 1, SQLite 3.35+ (component "personal_data").
-- Placeholder (Flyway syntax): ${prefix} the table prefix.
-- Applied by JdbcEventStore.migrate (and `fabula migrate`) with the event store's tables.
--
-- The data keys of crypto-shredding: one AES-256 key per data subject and tenant, in versions
-- (rotation adds one). Forgetting a subject deletes its rows; every personal field encrypted with
-- them then reads as null. The table holds keys, never personal data itself.
--   tenant_id   the tenant's namespace ('' for the unconfined store)
--   subject_id  the data subject, as its events name it
--   version     1 for the first key, one more per rotation; appends use the highest
--   key_id      random, unique for ever (see the PostgreSQL script)
--   created_at  microseconds since the Unix epoch
CREATE TABLE ${prefix}personal_data_keys (
    tenant_id   TEXT    NOT NULL,
    subject_id  TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    key_id      TEXT    NOT NULL UNIQUE,
    key_bytes   BLOB    NOT NULL CHECK (length(key_bytes) = 32),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, subject_id, version)
);

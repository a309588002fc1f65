-- Fabula personal data keys, version 1, PostgreSQL 14+ (component "personal_data").
-- Placeholders (Flyway syntax): ${schema} the schema, ${prefix} the table prefix.
-- Applied by JdbcEventStore.migrate (and `fabula migrate`) with the event store's tables.
--
-- The data keys of crypto-shredding: one AES-256 key per data subject and tenant, in versions
-- (rotation adds one). Forgetting a subject deletes its rows; every personal field encrypted with
-- them then reads as null. The table holds keys, never personal data itself.
--   tenant_id   the tenant's namespace ('' for the unconfined store)
--   subject_id  the data subject, as its events name it
--   version     1 for the first key, one more per rotation; appends use the highest
--   key_id      random, unique for ever: each envelope names the key that sealed it, so a key
--               created after a subject was forgotten is never taken for the forgotten one
--   the primary key  two writers creating a subject's first key at once: one row wins, both use it
CREATE TABLE ${schema}.${prefix}personal_data_keys (
    tenant_id   text        NOT NULL,
    subject_id  text        NOT NULL,
    version     integer     NOT NULL,
    key_id      text        NOT NULL,
    key_bytes   bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT ${prefix}personal_data_keys_pk PRIMARY KEY (tenant_id, subject_id, version),
    CONSTRAINT ${prefix}personal_data_keys_id_uq UNIQUE (key_id),
    CONSTRAINT ${prefix}personal_data_keys_ck CHECK (version >= 1 AND octet_length(key_bytes) = 32)
);

-- The migration toolkit's tables: import checkpoints and failures, the change-capture table and
-- its trigger function, and the read switches. Nothing here touches a legacy table.

CREATE TABLE ${schema}.${prefix}migration_imports (
    name            VARCHAR(200) PRIMARY KEY,
    pass            INTEGER      NOT NULL,
    last_key        TEXT,
    last_key_number INTEGER      NOT NULL DEFAULT 0,
    rows_read       BIGINT       NOT NULL DEFAULT 0,
    events_written  BIGINT       NOT NULL DEFAULT 0,
    rows_skipped    BIGINT       NOT NULL DEFAULT 0,
    rows_failed     BIGINT       NOT NULL DEFAULT 0,
    rows_changed    BIGINT       NOT NULL DEFAULT 0,
    checksum        VARCHAR(64)  NOT NULL,
    finished        INTEGER      NOT NULL DEFAULT 0,
    ever_finished   INTEGER      NOT NULL DEFAULT 0,
    started_at      VARCHAR(40)  NOT NULL,
    updated_at      VARCHAR(40)  NOT NULL
);

CREATE TABLE ${schema}.${prefix}migration_import_failures (
    name     VARCHAR(200) NOT NULL,
    row_key  TEXT         NOT NULL,
    kind     VARCHAR(40)  NOT NULL,
    reason   TEXT         NOT NULL,
    PRIMARY KEY (name, row_key, kind)
);

CREATE TABLE ${schema}.${prefix}migration_capture (
    seq          BIGSERIAL    PRIMARY KEY,
    table_name   VARCHAR(200) NOT NULL,
    operation    CHAR(1)      NOT NULL CHECK (operation IN ('I', 'U', 'D')),
    old_row      JSONB,
    new_row      JSONB,
    captured_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE INDEX ${prefix}migration_capture_by_table ON ${schema}.${prefix}migration_capture (table_name, seq);

-- One function serves every captured table; each table gets its own trigger (capture_install.sql).
CREATE FUNCTION ${schema}.${prefix}migration_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ${schema}.${prefix}migration_capture (table_name, operation, old_row, new_row)
    VALUES (
        TG_TABLE_NAME,
        substr(TG_OP, 1, 1),
        CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END,
        CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END
    );
    RETURN NULL;
END;
$$;

CREATE TABLE ${schema}.${prefix}migration_read_switches (
    name        VARCHAR(200) PRIMARY KEY,
    target      VARCHAR(20)  NOT NULL CHECK (target IN ('LEGACY', 'READ_MODEL')),
    updated_at  VARCHAR(40)  NOT NULL
);

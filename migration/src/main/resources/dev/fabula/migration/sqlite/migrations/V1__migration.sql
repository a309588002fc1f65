-- The migration toolkit's tables: import checkpoints and failures, the change-capture table and
-- the read switches. Nothing here touches a legacy table.

CREATE TABLE ${prefix}migration_imports (
    name            TEXT    PRIMARY KEY,
    pass            INTEGER NOT NULL,
    last_key        TEXT,
    last_key_number INTEGER NOT NULL DEFAULT 0,
    rows_read       INTEGER NOT NULL DEFAULT 0,
    events_written  INTEGER NOT NULL DEFAULT 0,
    rows_skipped    INTEGER NOT NULL DEFAULT 0,
    rows_failed     INTEGER NOT NULL DEFAULT 0,
    rows_changed    INTEGER NOT NULL DEFAULT 0,
    checksum        TEXT    NOT NULL,
    finished        INTEGER NOT NULL DEFAULT 0,
    ever_finished   INTEGER NOT NULL DEFAULT 0,
    started_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

CREATE TABLE ${prefix}migration_import_failures (
    name     TEXT NOT NULL,
    row_key  TEXT NOT NULL,
    kind     TEXT NOT NULL,
    reason   TEXT NOT NULL,
    PRIMARY KEY (name, row_key, kind)
);

-- AUTOINCREMENT: a deleted sequence number is never handed out again (capture event ids derive from it).
CREATE TABLE ${prefix}migration_capture (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name   TEXT    NOT NULL,
    operation    TEXT    NOT NULL CHECK (operation IN ('I', 'U', 'D')),
    old_row      TEXT,
    new_row      TEXT,
    captured_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX ${prefix}migration_capture_by_table ON ${prefix}migration_capture (table_name, seq);

CREATE TABLE ${prefix}migration_read_switches (
    name        TEXT PRIMARY KEY,
    target      TEXT NOT NULL CHECK (target IN ('LEGACY', 'READ_MODEL')),
    updated_at  TEXT NOT NULL
);

-- Fabula scheduler schema, version 1, SQLite 3.35+.
-- Placeholders: ${prefix} the table prefix (${qualified_prefix} is the same on SQLite).
-- Timestamps are INTEGER microseconds since the Unix epoch; JSON is TEXT checked with json_valid.
-- JobQueue.create applies this itself (component "scheduler" in ${prefix}schema_version).

-- Jobs; see the PostgreSQL schema for the states and the fencing token.
CREATE TABLE ${qualified_prefix}jobs (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    queue           TEXT    NOT NULL,
    job_type        TEXT    NOT NULL,
    payload         TEXT    NOT NULL CHECK (json_valid(payload)),
    priority        INTEGER NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('waiting', 'pending', 'running', 'succeeded', 'failed', 'cancelled')),
    run_at          INTEGER NOT NULL,
    attempt         INTEGER NOT NULL DEFAULT 0,
    max_attempts    INTEGER NOT NULL CHECK (max_attempts >= 1),
    run_trigger     TEXT    NOT NULL CHECK (run_trigger IN ('manual', 'scheduled', 'retry', 'dependent')),
    unique_key      TEXT,
    parent_id       INTEGER REFERENCES ${qualified_prefix}jobs (id) ON DELETE SET NULL,
    has_dependents  INTEGER NOT NULL DEFAULT 0,
    schedule_name   TEXT,
    scheduled_for   INTEGER,
    lease_token     INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until     INTEGER,
    claimed_at      INTEGER,
    last_error      TEXT,
    output          TEXT CHECK (output IS NULL OR json_valid(output)),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    finished_at     INTEGER,
    CHECK (state <> 'running' OR lease_until IS NOT NULL)
);

CREATE INDEX ${prefix}jobs_runnable_ix ON ${qualified_prefix}jobs (priority DESC, run_at, id)
    WHERE state = 'pending';

CREATE INDEX ${prefix}jobs_running_ix ON ${qualified_prefix}jobs (lease_until)
    WHERE state = 'running';

CREATE UNIQUE INDEX ${prefix}jobs_unique_key_uk ON ${qualified_prefix}jobs (job_type, unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('waiting', 'pending', 'running');

CREATE UNIQUE INDEX ${prefix}jobs_occurrence_uk ON ${qualified_prefix}jobs (schedule_name, scheduled_for)
    WHERE schedule_name IS NOT NULL;

CREATE INDEX ${prefix}jobs_parent_ix ON ${qualified_prefix}jobs (parent_id)
    WHERE parent_id IS NOT NULL;

CREATE INDEX ${prefix}jobs_finished_ix ON ${qualified_prefix}jobs (finished_at)
    WHERE finished_at IS NOT NULL;

CREATE INDEX ${prefix}jobs_state_type_ix ON ${qualified_prefix}jobs (state, job_type, id);

-- Execution history: one row per attempt and per missed occurrence; outlives the job rows.
CREATE TABLE ${qualified_prefix}job_runs (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id          INTEGER,
    job_type        TEXT    NOT NULL,
    queue           TEXT    NOT NULL,
    attempt         INTEGER NOT NULL,
    run_trigger     TEXT    NOT NULL,
    parent_id       INTEGER,
    schedule_name   TEXT,
    scheduled_for   INTEGER,
    worker          TEXT,
    started_at      INTEGER NOT NULL,
    finished_at     INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    outcome         TEXT    NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'snoozed', 'lease_expired', 'interrupted', 'missed')),
    error           TEXT,
    output          TEXT
);

CREATE INDEX ${prefix}job_runs_job_ix ON ${qualified_prefix}job_runs (job_id, id);
CREATE INDEX ${prefix}job_runs_finished_ix ON ${qualified_prefix}job_runs (finished_at);

CREATE TABLE ${qualified_prefix}job_schedules (
    name                TEXT    NOT NULL PRIMARY KEY,
    job_type            TEXT    NOT NULL,
    queue               TEXT    NOT NULL,
    payload             TEXT    NOT NULL CHECK (json_valid(payload)),
    priority            INTEGER NOT NULL,
    max_attempts        INTEGER NOT NULL,
    recurrence_kind     TEXT    NOT NULL,
    recurrence          TEXT    NOT NULL,
    zone                TEXT    NOT NULL,
    missed_policy       TEXT    NOT NULL,
    missed_cap          INTEGER NOT NULL,
    dst_policy          TEXT    NOT NULL,
    lateness_ms         INTEGER,
    next_run_at         INTEGER,
    last_scheduled_for  INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE INDEX ${prefix}job_schedules_next_ix ON ${qualified_prefix}job_schedules (next_run_at)
    WHERE next_run_at IS NOT NULL;

-- Controls every process obeys; the global row always exists.
CREATE TABLE ${qualified_prefix}job_controls (
    scope        TEXT    NOT NULL CHECK (scope IN ('global', 'queue', 'type')),
    name         TEXT    NOT NULL,
    paused       INTEGER NOT NULL DEFAULT 0,
    max_running  INTEGER CHECK (max_running IS NULL OR max_running >= 0),
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, name)
);

INSERT INTO ${qualified_prefix}job_controls (scope, name, paused, max_running, updated_at)
VALUES ('global', '*', 0, NULL, 0);

CREATE TABLE ${qualified_prefix}job_workers (
    worker_id     TEXT    NOT NULL PRIMARY KEY,
    threads       INTEGER NOT NULL,
    job_types     TEXT,
    queues        TEXT,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL
);

-- Fabula projections schema, version 1, PostgreSQL 14+.
-- Placeholders: ${schema} the schema, ${prefix} the event store's table prefix.
-- Applied by JdbcEventStore.migrate, or by Projections.open on a store that migrates on open
-- (component "projections" in ${prefix}schema_version).
-- Times are milliseconds since the Unix epoch on the database's clock, so that leases do not
-- depend on the clocks of the processes that hold them.

-- One row per projection version: its checkpoint, its lease and its state.
--   position          the last global position applied (0: none); only ever moved by the lease
--                     holder, from the value it read (see advance_checkpoint.sql)
--   owner             the runner holding the lease, or null
--   lease_until_ms    the lease is the owner's until then; after it, any runner may take it
--   state             as last written by the owner; readers derive STOPPED from an expired lease
--   types, categories the projection's filter (JSON arrays), so that any process can compute lag
CREATE TABLE ${schema}.${prefix}projection_checkpoints (
    name               text    NOT NULL,
    version            integer NOT NULL,
    position           bigint  NOT NULL DEFAULT 0,
    owner              text,
    lease_until_ms     bigint  NOT NULL DEFAULT 0,
    state              text    NOT NULL DEFAULT 'STOPPED',
    last_error         text,
    failed_position    bigint,
    rebuild_requested  boolean NOT NULL DEFAULT false,
    types              text    NOT NULL DEFAULT '[]',
    categories         text    NOT NULL DEFAULT '[]',
    updated_at_ms      bigint  NOT NULL,
    CONSTRAINT ${prefix}projection_checkpoints_pk PRIMARY KEY (name, version),
    CONSTRAINT ${prefix}projection_checkpoints_version_ck CHECK (version >= 1),
    CONSTRAINT ${prefix}projection_checkpoints_position_ck CHECK (position >= 0),
    CONSTRAINT ${prefix}projection_checkpoints_state_ck
        CHECK (state IN ('RUNNING', 'CATCHING_UP', 'STOPPED', 'FAILED', 'REBUILDING'))
);

-- Events a projection could not apply (the failing event) and the later events of the same stream
-- held back behind it, so that the stream's order is kept. Rows are never deleted by the runner
-- except by a rebuild; their status records what became of them.
--   status      PARKED, RETRY (a retry was requested), APPLIED (by a retry), DISMISSED
--   blocked_by  the stream's parked event this one waits behind; null for a failing event
CREATE TABLE ${schema}.${prefix}projection_dead_letters (
    name            text    NOT NULL,
    version         integer NOT NULL,
    position        bigint  NOT NULL,
    stream_id       text    NOT NULL,
    stream_version  bigint  NOT NULL,
    event_type      text    NOT NULL,
    status          text    NOT NULL,
    blocked_by      bigint,
    reason          text    NOT NULL,
    attempts        integer NOT NULL,
    parked_at_ms    bigint  NOT NULL,
    updated_at_ms   bigint  NOT NULL,
    CONSTRAINT ${prefix}projection_dead_letters_pk PRIMARY KEY (name, version, position),
    CONSTRAINT ${prefix}projection_dead_letters_projection_fk FOREIGN KEY (name, version)
        REFERENCES ${schema}.${prefix}projection_checkpoints (name, version) ON DELETE CASCADE,
    CONSTRAINT ${prefix}projection_dead_letters_status_ck
        CHECK (status IN ('PARKED', 'RETRY', 'APPLIED', 'DISMISSED'))
);

CREATE INDEX ${prefix}projection_dead_letters_stream_ix
    ON ${schema}.${prefix}projection_dead_letters (name, version, status, stream_id);

-- Which version of a projection readers should use (blue/green rebuilds).
CREATE TABLE ${schema}.${prefix}projection_serving (
    name            text    NOT NULL,
    version         integer NOT NULL,
    switched_at_ms  bigint  NOT NULL,
    CONSTRAINT ${prefix}projection_serving_pk PRIMARY KEY (name)
);

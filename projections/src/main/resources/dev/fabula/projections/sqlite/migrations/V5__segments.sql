-- Fabula projections schema, version 5, SQLite 3.35+: segments of a projection (docs/segments.md).
-- A segmented projection has one row here per segment; its checkpoint row then only holds what
-- belongs to the projection as a whole (filter, rebuild request, rebuildable) and is marked with
-- the owner '(segments)' and a lease that never runs out, so that no runner applies it whole.
--   segment, mask     the segment (Axon's tracking-token segments): a stream belongs to it when
--                     (hash(tenant, stream) & mask) = segment; mask is 2^k - 1, segment <= mask
--   position ... fencing_token, state, last_error, failed_position
--                     as in projection_checkpoints, per segment: each has its own checkpoint,
--                     lease and fencing token
--   skip_segment, skip_mask, skip_until
--                     left by a merge of two halves at different positions: events at or below
--                     skip_until of the streams of (skip_segment, skip_mask) were applied by the
--                     faster half and are skipped; cleared once the checkpoint passes skip_until
CREATE TABLE ${qualified_prefix}projection_segments (
    name             text    NOT NULL,
    version          integer NOT NULL,
    segment          integer NOT NULL,
    mask             integer NOT NULL,
    position         bigint  NOT NULL,
    owner            text,
    lease_until_ms   bigint  NOT NULL DEFAULT 0,
    fencing_token    bigint  NOT NULL DEFAULT 0,
    state            text    NOT NULL,
    last_error       text,
    failed_position  bigint,
    skip_segment     integer,
    skip_mask        integer,
    skip_until       bigint,
    updated_at_ms    bigint  NOT NULL,
    CONSTRAINT ${prefix}projection_segments_pk PRIMARY KEY (name, version, segment),
    CONSTRAINT ${prefix}projection_segments_projection_fk FOREIGN KEY (name, version)
        REFERENCES ${qualified_prefix}projection_checkpoints (name, version) ON DELETE CASCADE,
    CONSTRAINT ${prefix}projection_segments_segment_ck CHECK (segment >= 0 AND segment <= mask),
    CONSTRAINT ${prefix}projection_segments_position_ck CHECK (position >= 0),
    CONSTRAINT ${prefix}projection_segments_state_ck
        CHECK (state IN ('RUNNING', 'CATCHING_UP', 'STOPPED', 'FAILED', 'REBUILDING'))
);

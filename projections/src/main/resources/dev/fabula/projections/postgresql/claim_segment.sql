-- Claim one segment of a projection version that no runner holds (free, or its lease expired), the
-- lowest first, and bump its fencing token. Never a segment whose lease is live, whoever holds it.
-- Parameters: :name, :version, :owner (the claiming thread's name), :lease_ms
-- Returns: the segment, its mask, checkpoint, state, new fencing_token, merge skip, and the
--          projection's rebuild request; no row when every segment is held (or locked).
-- Guarantee: test and write in one statement, on the database's clock; SKIP LOCKED: a claimer never
-- queues behind a holder's open batch, and two claimers never get the same segment.
UPDATE ${qualified_prefix}projection_segments
SET owner = :owner,
    fencing_token = fencing_token + 1,
    lease_until_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) + :lease_ms,
    state = CASE WHEN state IN ('FAILED', 'REBUILDING') THEN state ELSE 'CATCHING_UP' END,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE (name, version, segment) IN (
    SELECT
        name,
        version,
        segment
    FROM ${qualified_prefix}projection_segments
    WHERE name = :name
      AND version = :version
      AND (owner IS NULL OR lease_until_ms < CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint))
    ORDER BY segment
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
RETURNING
    segment,
    mask,
    position,
    state,
    fencing_token,
    skip_segment,
    skip_mask,
    skip_until,
    (SELECT c.rebuild_requested FROM ${qualified_prefix}projection_checkpoints AS c
     WHERE c.name = :name AND c.version = :version) AS rebuild_requested

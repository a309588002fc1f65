-- Append one event to one stream, in one statement: append.sql for a batch of one, with the
-- event's columns bound as plain parameters instead of arrays (no unnest, no JSON array to split).
-- The same fence, id check, expectation and guarantees as append.sql; read its header.
--
-- Parameters: :fence_key, :tenant_id, :stream_id, :category, :may_create, :may_update, :expected,
--             :recorded_at (as in append.sql), and the event's :event_id, :event_type,
--             :schema_version, :correlation_id, :causation_id, :actor, :payload and :metadata
--             (JSON objects as text).
-- Returns:    one row (position, stream_version) when the event was inserted; no row when its id
--             is already stored in the namespace, or when the stream is deleted or not at the
--             expected version (the caller finds out which, as after append.sql).
WITH fence AS MATERIALIZED (
    SELECT pg_advisory_xact_lock_shared(
               :fence_key,
               -- F mod 2^32, moved into the signed int range: the low 32 bits of F as an int
               CAST((COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0) + 1 + 2147483648)
                    % 4294967296 - 2147483648 AS integer)
           ) IS NOT NULL AS locked
),
fresh AS (
    SELECT NOT EXISTS (
               SELECT 1
               FROM ${schema}.${prefix}events
               WHERE tenant_id = :tenant_id
                 AND event_id = CAST(:event_id AS uuid)
           ) AS ok
    FROM fence
    WHERE fence.locked
),
updated AS (
    -- an existing stream only (StreamExists, Exactly(n > 0))
    UPDATE ${schema}.${prefix}streams AS s
    SET version = s.version + 1
    WHERE s.tenant_id = :tenant_id
      AND s.stream_id = :stream_id
      AND (SELECT ok FROM fresh)
      AND NOT :may_create
      AND NOT s.deleted
      AND (:expected = -1 OR s.version = :expected)
    RETURNING s.version - 1 AS base_version
),
upserted AS (
    -- a new stream (NoStream, Exactly(0)), or either (Any)
    INSERT INTO ${schema}.${prefix}streams AS s (tenant_id, stream_id, version)
    SELECT :tenant_id, :stream_id, 1
    WHERE :may_create
      AND (SELECT ok FROM fresh)
    ON CONFLICT (tenant_id, stream_id) DO UPDATE
        SET version = s.version + 1
        WHERE :may_update
          AND NOT s.deleted
    RETURNING s.version - 1 AS base_version
),
stream AS (
    SELECT base_version FROM updated
    UNION ALL
    SELECT base_version FROM upserted
)
INSERT INTO ${schema}.${prefix}events (
    stream_id,
    stream_version,
    event_id,
    event_type,
    schema_version,
    category,
    tenant_id,
    correlation_id,
    causation_id,
    actor,
    metadata,
    payload,
    recorded_at
)
SELECT
    :stream_id,
    stream.base_version + 1,
    CAST(:event_id AS uuid),
    :event_type,
    CAST(:schema_version AS integer),
    :category,
    :tenant_id,
    :correlation_id,
    :causation_id,
    :actor,
    CAST(:metadata AS jsonb),
    CAST(:payload AS jsonb),
    :recorded_at
FROM stream
RETURNING position, stream_version

-- Append to several streams in one statement: appendAll's fast path, one round trip however many
-- streams (a backfill batch). The same fence, id guard and expectations as append.sql.
--
-- Parameters: :fence_key, :tenant_id (the namespace; '' for the unconfined store), :recorded_at;
--             one array per stream column, in the caller's order (:stream_ids, :categories,
--             :counts, :may_create, :may_update, :expected; see append.sql); one array per event
--             column, stream by stream (:stream_ordinals, the 1-based index of the event's stream,
--             :seqs, its 1-based index within its stream's batch, :event_ids, :types,
--             :schema_versions, :correlation_ids, :causation_ids, :actors), and :payloads and
--             :metadata as one JSON array each.
-- Returns:    one row per inserted event (stream_id, position, stream_version). Fewer rows than
--             events when any check failed: an id already stored, or a stream whose expectation
--             or tombstone forbade it, or that another transaction created meanwhile. Then
--             the caller rolls back to the savepoint it took and appends stream by stream, which
--             says which stream failed and why.
--
-- Guarantees: the fence as in append.sql. Existing stream rows are locked in stream-id order
-- before any is changed, so concurrent multi-stream appends queue rather than deadlock; positions
-- follow the caller's order of streams, and versions within each stream.
WITH fence AS MATERIALIZED (
    SELECT pg_advisory_xact_lock_shared(
               :fence_key,
               -- F mod 2^32, moved into the signed int range: the low 32 bits of F as an int
               CAST((COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0) + 1 + 2147483648)
                    % 4294967296 - 2147483648 AS integer)
           ) IS NOT NULL AS locked
),
fresh AS MATERIALIZED (
    SELECT NOT EXISTS (
               SELECT 1
               FROM ${schema}.${prefix}events
               WHERE tenant_id = :tenant_id
                 AND event_id = ANY(CAST(:event_ids AS uuid[]))
           ) AS ok
    FROM fence
    WHERE fence.locked
),
input AS MATERIALIZED (
    SELECT *
    FROM unnest(
        CAST(:stream_ids AS text[]),
        CAST(:categories AS text[]),
        CAST(:counts AS bigint[]),
        CAST(:may_create AS boolean[]),
        CAST(:may_update AS boolean[]),
        CAST(:expected AS bigint[])
    ) WITH ORDINALITY AS i(stream_id, category, n, may_create, may_update, expected, ord)
),
locked AS MATERIALIZED (
    SELECT s.stream_id, s.version, s.deleted
    FROM ${schema}.${prefix}streams AS s
    WHERE s.tenant_id = :tenant_id
      AND s.stream_id = ANY(CAST(:stream_ids AS text[]))
      AND (SELECT ok FROM fresh)
    ORDER BY s.stream_id
    FOR UPDATE
),
updated AS (
    UPDATE ${schema}.${prefix}streams AS s
    SET version = s.version + i.n
    FROM input AS i
    JOIN locked AS l ON l.stream_id = i.stream_id
    WHERE s.tenant_id = :tenant_id
      AND s.stream_id = i.stream_id
      AND i.may_update
      AND NOT l.deleted
      AND (i.expected = -1 OR l.version = i.expected)
    RETURNING i.ord, s.version - i.n AS base_version
),
created AS (
    INSERT INTO ${schema}.${prefix}streams AS s (tenant_id, stream_id, version)
    SELECT :tenant_id, i.stream_id, i.n
    FROM input AS i
    WHERE i.may_create
      AND (SELECT ok FROM fresh)
      AND NOT EXISTS (SELECT 1 FROM locked AS l WHERE l.stream_id = i.stream_id)
    ORDER BY i.stream_id
    ON CONFLICT (tenant_id, stream_id) DO NOTHING
    RETURNING s.stream_id
),
stream AS (
    SELECT ord, base_version FROM updated
    UNION ALL
    SELECT i.ord, 0 FROM created AS c JOIN input AS i ON i.stream_id = c.stream_id
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
    i.stream_id,
    stream.base_version + e.seq,
    e.event_id,
    e.event_type,
    e.schema_version,
    i.category,
    :tenant_id,
    e.correlation_id,
    e.causation_id,
    e.actor,
    m.value,
    p.value,
    :recorded_at
FROM unnest(
    CAST(:stream_ordinals AS bigint[]),
    CAST(:seqs AS bigint[]),
    CAST(:event_ids AS uuid[]),
    CAST(:types AS text[]),
    CAST(:schema_versions AS integer[]),
    CAST(:correlation_ids AS text[]),
    CAST(:causation_ids AS text[]),
    CAST(:actors AS text[])
) WITH ORDINALITY AS e(stream_ord, seq, event_id, event_type, schema_version, correlation_id, causation_id, actor, ord)
JOIN stream ON stream.ord = e.stream_ord
JOIN input AS i ON i.ord = e.stream_ord
JOIN jsonb_array_elements(CAST(:payloads AS jsonb)) WITH ORDINALITY AS p(value, ord) ON p.ord = e.ord
JOIN jsonb_array_elements(CAST(:metadata AS jsonb)) WITH ORDINALITY AS m(value, ord) ON m.ord = e.ord
ORDER BY e.ord
RETURNING stream_id, position, stream_version

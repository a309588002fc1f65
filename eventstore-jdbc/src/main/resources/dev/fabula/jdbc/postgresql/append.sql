-- Append a batch of events to one stream, in one statement: fence the transaction for global-log
-- readers, check that none of the event ids is stored yet, move the stream's version as the
-- expectation allows, and insert the events. Writes nothing when any check fails.
--
-- Parameters: :fence_key (the events table's OID as a signed int: fence_key.sql), :tenant_id (the
--             namespace: the view's tenant, '' for the unconfined store), :stream_id, :category,
--             :count, :may_create (the stream may be created),
--             :may_update (an existing stream may grow), :expected (the exact version an existing
--             stream must have, or -1 for any), :recorded_at, one array per short column
--             (:event_ids, :types, :schema_versions, :correlation_ids, :causation_ids, :actors),
--             and :payloads and :metadata as one JSON array each (the client joins the serialised
--             objects: no array-literal escaping).
-- Returns:    one row per inserted event (position, stream_version); no row when an id is already
--             stored in the namespace (a retry: the caller looks the events up) or when the
--             stream is deleted or not at the expected version (the caller reads the stream row to
--             say which).
--
-- Guarantees:
-- * The fence. Before any position is taken, the transaction holds a shared advisory lock on the
--   two-int key (fence_key, F mod 2^32, as a signed int), F = L + 1 being its fence, L the highest
--   position handed out before the lock; so every position it takes is at or above F. Readers
--   (safe_horizon_*.sql) read the highest position handed out first (H), the fences held second,
--   and read only up to min(H, smallest fence - 1): a position at or below that belongs to a
--   transaction that has ended (advisory locks are released after its commit became visible) or
--   that holds a fence at or below it, which lowers the horizon. So readers never pass a position
--   that may still commit, and only transactions that append events hold them back. The order
--   inside this statement is forced by data dependencies: the stream CTEs need the fence's value,
--   the insert needs a stream row, and nextval (the position column's default) runs as rows are
--   inserted.
-- * The fence's namespace. The key's first half is the events table's OID, unique in the database:
--   stores in any number of schemas, or with any prefixes, never see each other's fences (in
--   pg_locks: objsubid = 2, classid = the OID, objid = F mod 2^32, both shown unsigned). Only the
--   low 32 bits of F are in the key; readers put the rest back from H', the highest position
--   handed out read again after the locks: F <= H' + 1 (the lock was taken after L was read, and
--   L <= H' since the sequence only grows: never move it back with setval), and
--   F > H' + 1 - 2^32 as long as fewer than 2^32
--   positions are handed out while one appending transaction stays open, so F is exactly
--   H' + 1 - ((H' + 1 - objid) mod 2^32). (H, read before the locks, would not do: a transaction
--   may take its fence between the two reads with an L above H.)
-- * The stream row's lock serialises appenders to one stream: versions are gap-free and
--   positions follow versions (ORDER BY e.ord). The unique (tenant_id, stream_id, stream_version)
--   and (tenant_id, event_id) indexes are the last line of defence.
-- * Namespaces: every stream row, event and id check is keyed by :tenant_id, so a tenant's append
--   neither sees nor touches another tenant's stream or event ids (two tenants may own 'order-1').
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
                 AND event_id = ANY(CAST(:event_ids AS uuid[]))
           ) AS ok
    FROM fence
    WHERE fence.locked
),
updated AS (
    -- an existing stream only (StreamExists, Exactly(n > 0))
    UPDATE ${schema}.${prefix}streams AS s
    SET version = s.version + :count
    WHERE s.tenant_id = :tenant_id
      AND s.stream_id = :stream_id
      AND (SELECT ok FROM fresh)
      AND NOT :may_create
      AND NOT s.deleted
      AND (:expected = -1 OR s.version = :expected)
    RETURNING s.version - :count AS base_version
),
upserted AS (
    -- a new stream (NoStream, Exactly(0)), or either (Any)
    INSERT INTO ${schema}.${prefix}streams AS s (tenant_id, stream_id, version)
    SELECT :tenant_id, :stream_id, :count
    WHERE :may_create
      AND (SELECT ok FROM fresh)
    ON CONFLICT (tenant_id, stream_id) DO UPDATE
        SET version = s.version + :count
        WHERE :may_update
          AND NOT s.deleted
    RETURNING s.version - :count AS base_version
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
    stream.base_version + e.ord,
    e.event_id,
    e.event_type,
    e.schema_version,
    :category,
    :tenant_id,
    e.correlation_id,
    e.causation_id,
    e.actor,
    m.value,
    p.value,
    :recorded_at
FROM stream
CROSS JOIN unnest(
    CAST(:event_ids AS uuid[]),
    CAST(:types AS text[]),
    CAST(:schema_versions AS integer[]),
    CAST(:correlation_ids AS text[]),
    CAST(:causation_ids AS text[]),
    CAST(:actors AS text[])
) WITH ORDINALITY AS e(event_id, event_type, schema_version, correlation_id, causation_id, actor, ord)
JOIN jsonb_array_elements(CAST(:payloads AS jsonb)) WITH ORDINALITY AS p(value, ord) ON p.ord = e.ord
JOIN jsonb_array_elements(CAST(:metadata AS jsonb)) WITH ORDINALITY AS m(value, ord) ON m.ord = e.ord
ORDER BY e.ord
RETURNING position, stream_version

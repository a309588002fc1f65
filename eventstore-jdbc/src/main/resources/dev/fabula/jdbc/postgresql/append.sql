-- Append a batch of events to one stream: one statement that moves the stream's version and
-- inserts the events, or does nothing when the expected version does not hold.
--
-- Parameters: :stream_id, :category, :tenant_id (null for the unconfined store), :count,
--             :may_create (the stream may be created), :may_update (an existing stream may grow),
--             :expected (the exact version an existing stream must have, or -1 for any),
--             :recorded_at, and one array per column: :event_ids, :types, :schema_versions,
--             :correlation_ids, :causation_ids, :actors, :metadata, :payloads.
-- Returns:    one row per inserted event (position, stream_version); no row when the stream is
--             deleted, belongs to another tenant, or its version is not the expected one. The
--             caller then reads the stream row to say which.
--
-- Guarantees: the update or upsert takes the stream row's lock, so appenders to one stream are serialised
-- and versions are gap-free; positions follow versions (ORDER BY ord; nextval is the column
-- default, evaluated as rows are inserted); the unique (stream_id, stream_version) index is the
-- last line of defence.
WITH updated AS (
    -- an existing stream only (StreamExists, Exactly(n > 0))
    UPDATE ${schema}.${prefix}streams AS s
    SET version = s.version + :count
    WHERE s.stream_id = :stream_id
      AND NOT :may_create
      AND NOT s.deleted
      AND (:expected = -1 OR s.version = :expected)
      AND (CAST(:tenant_id AS text) IS NULL OR s.tenant_id = :tenant_id)
    RETURNING s.version - :count AS base_version, s.tenant_id
),
upserted AS (
    -- a new stream (NoStream, Exactly(0)), or either (Any)
    INSERT INTO ${schema}.${prefix}streams AS s (stream_id, version, tenant_id)
    SELECT :stream_id, :count, :tenant_id
    WHERE :may_create
    ON CONFLICT (stream_id) DO UPDATE
        SET version = s.version + :count
        WHERE :may_update
          AND NOT s.deleted
          AND (CAST(:tenant_id AS text) IS NULL OR s.tenant_id = :tenant_id)
    RETURNING s.version - :count AS base_version, s.tenant_id
),
stream AS (
    SELECT base_version, tenant_id FROM updated
    UNION ALL
    SELECT base_version, tenant_id FROM upserted
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
    stream.tenant_id,
    e.correlation_id,
    e.causation_id,
    e.actor,
    CAST(e.metadata AS jsonb),
    CAST(e.payload AS jsonb),
    :recorded_at
FROM stream
CROSS JOIN unnest(
    CAST(:event_ids AS uuid[]),
    CAST(:types AS text[]),
    CAST(:schema_versions AS integer[]),
    CAST(:correlation_ids AS text[]),
    CAST(:causation_ids AS text[]),
    CAST(:actors AS text[]),
    CAST(:metadata AS text[]),
    CAST(:payloads AS text[])
) WITH ORDINALITY AS e(event_id, event_type, schema_version, correlation_id, causation_id, actor, metadata, payload, ord)
ORDER BY e.ord
RETURNING position, stream_version

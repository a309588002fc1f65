-- Soft-delete a stream: set its tombstone, creating the row for a stream that never existed.
-- Parameters: :stream_id, :tenant_id, :may_create, :may_update, :expected (-1 for any)
-- Returns:    one row when deleted; none when the expectation, tenant or tombstone forbade it.
WITH updated AS (
    UPDATE ${schema}.${prefix}streams AS s
    SET deleted = true
    WHERE s.stream_id = :stream_id
      AND NOT :may_create
      AND NOT s.deleted
      AND (:expected = -1 OR s.version = :expected)
      AND (CAST(:tenant_id AS text) IS NULL OR s.tenant_id = :tenant_id)
    RETURNING s.version
),
upserted AS (
    INSERT INTO ${schema}.${prefix}streams AS s (stream_id, version, tenant_id, deleted)
    SELECT :stream_id, 0, :tenant_id, true
    WHERE :may_create
    ON CONFLICT (stream_id) DO UPDATE
        SET deleted = true
        WHERE :may_update
          AND NOT s.deleted
          AND (CAST(:tenant_id AS text) IS NULL OR s.tenant_id = :tenant_id)
    RETURNING s.version
)
SELECT version FROM updated
UNION ALL
SELECT version FROM upserted

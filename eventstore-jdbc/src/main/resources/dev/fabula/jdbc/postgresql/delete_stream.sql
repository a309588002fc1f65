-- Soft-delete a stream: set its tombstone, creating the row for a stream that never existed.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :may_create, :may_update,
--             :expected (-1 for any)
-- Returns:    one row when deleted; none when the expectation or tombstone forbade it.
WITH updated AS (
    UPDATE ${schema}.${prefix}streams AS s
    SET deleted = true
    WHERE s.tenant_id = :tenant_id
      AND s.stream_id = :stream_id
      AND NOT :may_create
      AND NOT s.deleted
      AND (:expected = -1 OR s.version = :expected)
    RETURNING s.version
),
upserted AS (
    INSERT INTO ${schema}.${prefix}streams AS s (tenant_id, stream_id, version, deleted)
    SELECT :tenant_id, :stream_id, 0, true
    WHERE :may_create
    ON CONFLICT (tenant_id, stream_id) DO UPDATE
        SET deleted = true
        WHERE :may_update
          AND NOT s.deleted
    RETURNING s.version
)
SELECT version FROM updated
UNION ALL
SELECT version FROM upserted

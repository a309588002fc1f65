-- Move a stream's version for an append, or do nothing when the expectation does not hold.
-- Parameters: :stream_id, :tenant_id (null for the unconfined store), :count, :may_create,
--             :may_update, :expected (-1 for any)
-- Returns:    the version before the append and the stream's tenant; no row when the stream is
--             deleted, belongs to another tenant or is not at the expected version.
-- The caller holds SQLite's write lock (BEGIN IMMEDIATE), so nothing interleaves.
INSERT INTO ${prefix}streams AS s (stream_id, version, tenant_id)
SELECT :stream_id, :count, :tenant_id
WHERE :may_create
ON CONFLICT (stream_id) DO UPDATE
    SET version = s.version + :count
    WHERE :may_update
      AND NOT s.deleted
      AND (:expected = -1 OR s.version = :expected)
      AND (:tenant_id IS NULL OR s.tenant_id = :tenant_id)
RETURNING version - :count AS base_version, tenant_id

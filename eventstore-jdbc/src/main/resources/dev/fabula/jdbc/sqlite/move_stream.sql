-- Move a new or any stream's version for an append (NoStream, Exactly(0), Any); see
-- move_existing_stream.sql for the others.
-- Parameters: :stream_id, :tenant_id (null for the unconfined store), :count, :event_ids (JSON array), :may_update
-- Returns:    the version before the append and the stream's tenant; no row when an event id is
--             already stored (a retry), or when the stream is
--             deleted, belongs to another tenant, or exists while it must not.
-- The caller holds SQLite's write lock (BEGIN IMMEDIATE), so nothing interleaves.
INSERT INTO ${prefix}streams AS s (stream_id, version, tenant_id)
SELECT :stream_id, :count, :tenant_id
WHERE NOT EXISTS (
    SELECT 1 FROM ${prefix}events WHERE event_id IN (SELECT value FROM json_each(:event_ids))
)
ON CONFLICT (stream_id) DO UPDATE
    SET version = s.version + :count
    WHERE :may_update
      AND NOT s.deleted
      AND (:tenant_id IS NULL OR s.tenant_id = :tenant_id)
RETURNING version - :count AS base_version, tenant_id

-- Move a new or any stream's version for an append (NoStream, Exactly(0), Any); see
-- move_existing_stream.sql for the others.
-- Parameters: :tenant_id (the namespace; '' for the unconfined store), :stream_id, :count,
--             :event_ids (JSON array), :may_update
-- Returns:    the version before the append; no row when an event id is already stored in the
--             namespace (a retry), or when the stream is deleted or exists while it must not.
-- The caller holds SQLite's write lock (BEGIN IMMEDIATE), so nothing interleaves.
INSERT INTO ${prefix}streams AS s (tenant_id, stream_id, version)
SELECT :tenant_id, :stream_id, :count
WHERE NOT EXISTS (
    SELECT 1
    FROM ${prefix}events
    WHERE tenant_id = :tenant_id
      AND event_id IN (SELECT value FROM json_each(:event_ids))
)
ON CONFLICT (tenant_id, stream_id) DO UPDATE
    SET version = s.version + :count
    WHERE :may_update
      AND NOT s.deleted
RETURNING version - :count AS base_version

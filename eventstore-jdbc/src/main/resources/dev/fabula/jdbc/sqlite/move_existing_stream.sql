-- Move an existing stream's version for an append (StreamExists, Exactly(n > 0)).
-- Parameters: :stream_id, :tenant_id (null for the unconfined store), :count, :event_ids (JSON array), :expected (-1 for any)
-- Returns:    the version before the append and the stream's tenant; no row when an event id is
--             already stored (a retry), or when the stream is
--             missing, deleted, another tenant's, or not at the expected version.
UPDATE ${prefix}streams AS s
SET version = s.version + :count
WHERE s.stream_id = :stream_id
  AND NOT s.deleted
  AND NOT EXISTS (
      SELECT 1 FROM ${prefix}events WHERE event_id IN (SELECT value FROM json_each(:event_ids))
  )
  AND (:expected = -1 OR s.version = :expected)
  AND (:tenant_id IS NULL OR s.tenant_id = :tenant_id)
RETURNING version - :count AS base_version, tenant_id

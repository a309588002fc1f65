-- Move an existing stream's version for an append (StreamExists, Exactly(n > 0)).
-- Parameters: :tenant_id (the namespace; '' for the unconfined store), :stream_id, :count,
--             :event_ids (JSON array), :expected (-1 for any)
-- Returns:    the version before the append; no row when an event id is already stored in the
--             namespace (a retry), or when the stream is missing, deleted, or not at the expected
--             version.
UPDATE ${prefix}streams AS s
SET version = s.version + :count
WHERE s.tenant_id = :tenant_id
  AND s.stream_id = :stream_id
  AND NOT s.deleted
  AND NOT EXISTS (
      SELECT 1
      FROM ${prefix}events
      WHERE tenant_id = :tenant_id
        AND event_id IN (SELECT value FROM json_each(:event_ids))
  )
  AND (:expected = -1 OR s.version = :expected)
RETURNING version - :count AS base_version

-- Soft-delete an existing stream (StreamExists, Exactly(n > 0)).
-- Parameters: :stream_id, :tenant_id, :expected (-1 for any)
-- Returns:    one row when deleted; none when missing, deleted, another tenant's or not at the
--             expected version.
UPDATE ${prefix}streams AS s
SET deleted = 1
WHERE s.stream_id = :stream_id
  AND NOT s.deleted
  AND (:expected = -1 OR s.version = :expected)
  AND (:tenant_id IS NULL OR s.tenant_id = :tenant_id)
RETURNING version

-- Soft-delete an existing stream (StreamExists, Exactly(n > 0)).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :expected (-1 for any)
-- Returns:    one row when deleted; none when missing, deleted or not at the expected version.
UPDATE ${prefix}streams AS s
SET deleted = 1
WHERE s.tenant_id = :tenant_id
  AND s.stream_id = :stream_id
  AND NOT s.deleted
  AND (:expected = -1 OR s.version = :expected)
RETURNING version

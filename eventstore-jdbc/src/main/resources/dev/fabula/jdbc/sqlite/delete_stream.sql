-- Soft-delete a new or any stream (NoStream, Exactly(0), Any): set its tombstone, creating the
-- row for a stream that never existed.
-- Parameters: :stream_id, :tenant_id, :may_update
-- Returns:    one row when deleted; none when the expectation, tenant or tombstone forbade it.
INSERT INTO ${prefix}streams AS s (stream_id, version, tenant_id, deleted)
SELECT :stream_id, 0, :tenant_id, 1
WHERE true
ON CONFLICT (stream_id) DO UPDATE
    SET deleted = 1
    WHERE :may_update
      AND NOT s.deleted
      AND (:tenant_id IS NULL OR s.tenant_id = :tenant_id)
RETURNING version

-- Soft-delete a new or any stream (NoStream, Exactly(0), Any): set its tombstone, creating the
-- row for a stream that never existed.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :may_update
-- Returns:    one row when deleted; none when the expectation or tombstone forbade it.
INSERT INTO ${prefix}streams AS s (tenant_id, stream_id, version, deleted)
SELECT :tenant_id, :stream_id, 0, 1
WHERE true
ON CONFLICT (tenant_id, stream_id) DO UPDATE
    SET deleted = 1
    WHERE :may_update
      AND NOT s.deleted
RETURNING version

-- Mark a stream deleted whatever its state (after a hard delete), creating the row if needed.
-- Parameters: :stream_id, :tenant_id
INSERT INTO ${schema}.${prefix}streams AS s (stream_id, version, tenant_id, deleted)
VALUES (:stream_id, 0, :tenant_id, true)
ON CONFLICT (stream_id) DO UPDATE
    SET deleted = true

-- Mark a stream deleted whatever its state (after a hard delete), creating the row if needed.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
INSERT INTO ${schema}.${prefix}streams AS s (tenant_id, stream_id, version, deleted)
VALUES (:tenant_id, :stream_id, 0, true)
ON CONFLICT (tenant_id, stream_id) DO UPDATE
    SET deleted = true

-- Mark a stream archived.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :archived_at
INSERT INTO ${qualified_prefix}archived_streams (tenant_id, stream_id, archived_at)
VALUES (:tenant_id, :stream_id, :archived_at)

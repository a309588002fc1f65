-- Open the append-only trigger's escape hatch for one stream (removed again by
-- forbid_hard_delete.sql in the same transaction).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
INSERT INTO ${prefix}hard_delete_permit (tenant_id, stream_id) VALUES (:tenant_id, :stream_id)

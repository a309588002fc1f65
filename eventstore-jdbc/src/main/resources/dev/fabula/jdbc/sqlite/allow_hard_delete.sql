-- Open the append-only trigger's escape hatch for one stream (removed again by
-- forbid_hard_delete.sql in the same transaction).
-- Parameters: :stream_id
INSERT INTO ${prefix}hard_delete_permit (stream_id) VALUES (:stream_id)

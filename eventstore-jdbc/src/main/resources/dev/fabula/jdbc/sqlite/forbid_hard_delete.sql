-- Close the escape hatch opened by allow_hard_delete.sql.
-- Parameters: :stream_id
DELETE FROM ${prefix}hard_delete_permit WHERE stream_id = :stream_id

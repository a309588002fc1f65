-- Delete the snapshot of one stream (after a hard delete of its events).
-- Parameters: :stream_id
-- Returns:    the number of rows deleted, 0 or 1.
DELETE FROM ${prefix}snapshots
WHERE stream_id = :stream_id

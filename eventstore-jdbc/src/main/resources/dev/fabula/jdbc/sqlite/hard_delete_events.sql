-- Erase a stream's events (the caller opened the escape hatch in this transaction).
-- Parameters: :stream_id
DELETE FROM ${prefix}events
WHERE stream_id = :stream_id

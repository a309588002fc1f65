-- Erase a stream's events. The caller has run allow_hard_delete.sql in the same transaction.
-- Parameters: :stream_id
DELETE FROM ${schema}.${prefix}events
WHERE stream_id = :stream_id

-- Blank the error a projection stopped with at an erased event (EventStore.erase): the message
-- may quote the event. The projection stays FAILED at that position; positions are global, so the
-- event is the erased tenant's own.
-- Parameters: :failed_position, :redacted
UPDATE ${qualified_prefix}projection_checkpoints
SET last_error = :redacted
WHERE failed_position = :failed_position
  AND last_error IS NOT NULL

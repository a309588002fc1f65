-- Blank the error a segment of a projection stopped with at an erased event (EventStore.erase), as
-- erase_failure_at.sql does for a whole projection: the message may quote the event.
-- Parameters: :failed_position, :redacted
UPDATE ${qualified_prefix}projection_segments
SET last_error = :redacted
WHERE failed_position = :failed_position
  AND last_error IS NOT NULL

-- The event at one global position, if any (the delivery audit, retries of parked events).
-- Only asked for positions at or below the head of the log, where every position has committed
-- or rolled back, so "no row" means no event holds the position.
-- Parameters: :position
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE position = :position

-- How many events a projection still has to apply: those it handles after its checkpoint, up to
-- the head of the log (lag in events, and the "caught up" test of awaitPosition and promote).
-- Parameters: :after (the checkpoint), :head (a horizon from EventStore.headPosition), :cap (stop
--             counting there), :types, :categories (JSON arrays; '[]' for all)
SELECT count(*)
FROM (
    SELECT 1
    FROM ${prefix}events
    WHERE position > :after
      AND position <= :head
      AND (:types = '[]' OR event_type IN (SELECT value FROM json_each(:types)))
      AND (:categories = '[]' OR category IN (SELECT value FROM json_each(:categories)))
    LIMIT :cap
)

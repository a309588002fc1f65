-- How many events a projection still has to apply: those it handles after its checkpoint, up to
-- the head of the log (lag in events, and the "caught up" test of awaitPosition and promote).
-- Parameters: :after (the checkpoint), :head (a horizon from EventStore.headPosition), :cap (stop
--             counting there, so that a far-behind projection costs one bounded scan),
--             :types, :categories (text[]; empty for all)
SELECT count(*)
FROM (
    SELECT 1
    FROM ${schema}.${prefix}events
    WHERE position > :after
      AND position <= :head
      AND (cardinality(CAST(:types AS text[])) = 0 OR event_type = ANY(CAST(:types AS text[])))
      AND (cardinality(CAST(:categories AS text[])) = 0 OR category = ANY(CAST(:categories AS text[])))
    LIMIT :cap
) AS pending

-- The FROM, WHERE, ORDER BY and LIMIT of one page of the global log, shared by read_all.sql and
-- read_all_checked.sql (see read_all.sql for the parameters and the guarantee); used as
-- ${read_all_page}.
FROM ${qualified_prefix}events
WHERE position > :after
  AND position <= :until
  AND (cardinality(CAST(:types AS text[])) = 0 OR event_type = ANY(CAST(:types AS text[])))
  AND (cardinality(CAST(:categories AS text[])) = 0 OR category = ANY(CAST(:categories AS text[])))
  AND (CAST(:tenant_id AS text) IS NULL OR tenant_id = :tenant_id)
ORDER BY position
LIMIT :limit

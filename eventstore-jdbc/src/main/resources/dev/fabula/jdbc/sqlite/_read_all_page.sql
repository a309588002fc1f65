-- The FROM, WHERE, ORDER BY and LIMIT of one page of the global log, shared by read_all.sql and
-- read_all_checked.sql (see read_all.sql for the parameters and the guarantee); used as
-- ${read_all_page}.
FROM ${prefix}events
WHERE position > :after
  AND position <= :until
  AND (:types = '[]' OR event_type IN (SELECT value FROM json_each(:types)))
  AND (:categories = '[]' OR category IN (SELECT value FROM json_each(:categories)))
  AND (:tenant_id IS NULL OR tenant_id = :tenant_id)
ORDER BY position
LIMIT :limit

-- The streams of a category that have events, for category-wide retention (a maintenance scan).
-- Parameters: :tenant_id (the namespace; '' for none), :category
SELECT DISTINCT stream_id
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND category = :category
ORDER BY stream_id

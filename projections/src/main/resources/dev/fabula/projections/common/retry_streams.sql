-- The streams with a retry request.
-- Parameters: :name, :version
SELECT DISTINCT stream_id
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
  AND status = 'RETRY'
ORDER BY stream_id

-- The streams a projection version holds back, each with its first parked position.
-- Parameters: :name, :version
SELECT
    stream_id,
    min(position) AS first_position
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
  AND status IN ('PARKED', 'RETRY')
GROUP BY stream_id

-- Forget a projection version's dead letters (a rebuild replays their events).
-- Parameters: :name, :version
DELETE FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version

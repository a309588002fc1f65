-- A projection version's dead letters, whatever their status, in position order.
-- Parameters: :name, :version
SELECT
    ${dead_letter_columns}
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
ORDER BY position

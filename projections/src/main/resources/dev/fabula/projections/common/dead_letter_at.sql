-- The dead letter of one position, if any (the delivery audit).
-- Parameters: :name, :version, :position
SELECT
    ${dead_letter_columns}
FROM ${qualified_prefix}projection_dead_letters
WHERE name = :name
  AND version = :version
  AND position = :position

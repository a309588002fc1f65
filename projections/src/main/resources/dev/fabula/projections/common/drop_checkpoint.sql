-- Forget a projection version: its checkpoint row and (by cascade) its dead letters.
-- Parameters: :name, :version
-- Returns: the number of rows deleted.
DELETE FROM ${qualified_prefix}projection_checkpoints
WHERE name = :name
  AND version = :version

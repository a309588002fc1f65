-- A merge's upper half is gone: its streams now belong to the merged (lower) segment.
-- Parameters: :name, :version, :segment
-- Returns: the number of rows deleted.
DELETE FROM ${qualified_prefix}projection_segments
WHERE name = :name
  AND version = :version
  AND segment = :segment

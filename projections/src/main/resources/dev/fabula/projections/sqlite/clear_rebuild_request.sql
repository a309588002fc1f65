-- A segmented projection's rebuild was carried out (reset_segments.sql): forget the request.
-- Parameters: :name, :version
UPDATE ${qualified_prefix}projection_checkpoints
SET rebuild_requested = FALSE,
    updated_at_ms = CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
WHERE name = :name
  AND version = :version

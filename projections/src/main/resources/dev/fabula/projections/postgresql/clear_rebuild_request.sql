-- A segmented projection's rebuild was carried out (reset_segments.sql): forget the request.
-- Parameters: :name, :version
UPDATE ${qualified_prefix}projection_checkpoints
SET rebuild_requested = FALSE,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version

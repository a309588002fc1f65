-- Switch readers to a version of a projection.
-- Parameters: :name, :version
INSERT INTO ${qualified_prefix}projection_serving (
    name,
    version,
    switched_at_ms
)
VALUES (
    :name,
    :version,
    CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
)
ON CONFLICT (name) DO UPDATE
SET version = EXCLUDED.version,
    switched_at_ms = EXCLUDED.switched_at_ms

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
    CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
)
ON CONFLICT (name) DO UPDATE
SET version = EXCLUDED.version,
    switched_at_ms = EXCLUDED.switched_at_ms

-- Make sure a projection version has a checkpoint row, and record its filter and whether it may be
-- rebuilt (the definition registered last wins).
-- Parameters: :name, :version, :types and :categories (JSON arrays of strings; '[]' for all),
--             :rebuildable (it has a reset hook or declares an idempotent replay)
-- Guarantee: a new row starts at position 0; an existing checkpoint, lease and state are never
-- touched, so any number of processes may register the same projection at any time.
INSERT INTO ${qualified_prefix}projection_checkpoints (
    name,
    version,
    types,
    categories,
    rebuildable,
    updated_at_ms
)
VALUES (
    :name,
    :version,
    :types,
    :categories,
    :rebuildable,
    CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
)
ON CONFLICT (name, version) DO UPDATE
SET types = EXCLUDED.types,
    categories = EXCLUDED.categories,
    rebuildable = EXCLUDED.rebuildable

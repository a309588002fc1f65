-- Fabula projections schema, version 2, SQLite: whether a projection version may be rebuilt.
-- rebuildable: 1 when the definition its runners registered last has a reset hook or declares an
-- idempotent replay (Projection.rebuildable); Projections.rebuild refuses the others, whose replay
-- would apply every event a second time over the old rows. Rows from version 1 start at 0 until a
-- runner registers them again.
ALTER TABLE ${qualified_prefix}projection_checkpoints ADD COLUMN rebuildable INTEGER NOT NULL DEFAULT 0;

-- Fabula projections schema, version 2, PostgreSQL 14+: whether a projection version may be rebuilt.
-- rebuildable: true when the definition its runners registered last has a reset hook or declares
-- an idempotent replay (Projection.rebuildable); Projections.rebuild refuses the others, whose
-- replay would apply every event a second time over the old rows. Rows from version 1 start false
-- until a runner registers them again. Adding a column with a constant default rewrites nothing.
ALTER TABLE ${qualified_prefix}projection_checkpoints ADD COLUMN rebuildable boolean NOT NULL DEFAULT false;

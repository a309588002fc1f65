-- Fabula projections schema, version 4, SQLite: a fencing token per projection version.
-- fencing_token: bumped by every acquisition of the lease, checked by every statement of the
-- holder that changes the row (see the PostgreSQL script). Rows from version 3 start at 0.
ALTER TABLE ${qualified_prefix}projection_checkpoints ADD COLUMN fencing_token INTEGER NOT NULL DEFAULT 0;

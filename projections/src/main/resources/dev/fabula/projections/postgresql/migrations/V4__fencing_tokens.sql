-- Fabula projections schema, version 4, PostgreSQL 14+: a fencing token per projection version.
-- fencing_token: bumped by every acquisition of the lease (acquire_lease.sql), so it only grows;
-- every statement of the holder that changes the row (renew, lock, advance, release, state) names
-- the token it took the lease with and changes nothing when the token moved on. At-least-once
-- handlers pass it to the systems they write to, which reject a write whose token is older than
-- one they have seen (a holder that was paused past its lease). Rows from version 3 start at 0.
-- Adding a column with a constant default rewrites nothing.
ALTER TABLE ${qualified_prefix}projection_checkpoints ADD COLUMN fencing_token bigint NOT NULL DEFAULT 0;

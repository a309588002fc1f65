-- Creates the store's erasure secret unless it exists.
-- Parameters: :secret (32 bytes), :created_at
-- Guarantees: of writers creating it at once one row wins; each reads the winner back.
INSERT INTO ${qualified_prefix}erasure_secret (id, secret, created_at)
VALUES (1, :secret, :created_at)
ON CONFLICT DO NOTHING

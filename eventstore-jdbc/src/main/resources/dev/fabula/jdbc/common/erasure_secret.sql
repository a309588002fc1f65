-- The store's erasure secret (component "erasure").
-- Returns:    zero rows (no erasure yet) or one.
SELECT secret
FROM ${qualified_prefix}erasure_secret
WHERE id = 1

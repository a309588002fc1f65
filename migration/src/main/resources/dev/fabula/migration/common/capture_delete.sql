-- Removes one applied change, in the transaction that appended its events (exactly once).
-- Parameters: :seq.
DELETE FROM ${qualified_prefix}migration_capture
WHERE seq = :seq

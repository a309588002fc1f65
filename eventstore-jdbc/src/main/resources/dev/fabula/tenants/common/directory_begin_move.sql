-- Marks a tenant as moving, only if it lives in :from_database and no move is under way.
-- Parameters: :tenant_id, :from_database, :to_database
-- Returns:    the number of rows updated: 1, or 0 when the entry is not as expected.
UPDATE ${qualified_prefix}tenant_directory
SET moving_to = :to_database,
    version = version + 1
WHERE tenant_id = :tenant_id
  AND database_name = :from_database
  AND (moving_to IS NULL OR moving_to = :to_database)

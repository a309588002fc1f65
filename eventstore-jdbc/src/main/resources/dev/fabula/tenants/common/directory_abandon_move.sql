-- Abandons a move: the tenant stays in :from_database.
-- Parameters: :tenant_id, :from_database, :to_database
-- Returns:    the number of rows updated: 1, or 0 when the entry is not as expected.
UPDATE ${qualified_prefix}tenant_directory
SET moving_to = NULL,
    version = version + 1
WHERE tenant_id = :tenant_id
  AND database_name = :from_database
  AND moving_to = :to_database

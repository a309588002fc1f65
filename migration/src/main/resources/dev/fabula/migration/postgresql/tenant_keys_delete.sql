-- Deletes every data key of a tenant that has moved out of this database: its events here then
-- read redacted, so a subject forgotten in the new database is unreadable here too.
-- Parameters: :tenant_id
DELETE FROM ${qualified_prefix}personal_data_keys
WHERE tenant_id = :tenant_id

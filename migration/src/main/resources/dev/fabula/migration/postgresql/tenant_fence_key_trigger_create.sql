-- Attaches the fence trigger to the data key table, for deletes (once, by the first move; it
-- stays): a fenced tenant's subjects cannot be forgotten in this database, so a key copied to the
-- database the tenant moves to never outlives a forget here (forget again there, after the switch).
CREATE TRIGGER ${prefix}migration_tenant_fence_keys
BEFORE DELETE ON ${qualified_prefix}personal_data_keys
FOR EACH ROW EXECUTE FUNCTION ${qualified_prefix}migration_tenant_fence()

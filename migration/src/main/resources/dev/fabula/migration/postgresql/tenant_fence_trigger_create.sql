-- Attaches the fence trigger to the streams table (once, by the first move; it stays).
CREATE TRIGGER ${prefix}migration_tenant_fence
BEFORE INSERT OR UPDATE OR DELETE ON ${qualified_prefix}streams
FOR EACH ROW EXECUTE FUNCTION ${qualified_prefix}migration_tenant_fence()

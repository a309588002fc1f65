-- Sets the tenant that the row-level-security policies (component row_level_security) let the
-- current transaction see and write: for this transaction only (set_config's is_local), so a
-- pooled connection never carries it to its next user. Run first in every unit of work of a store
-- opened with JdbcConfig.withRowLevelSecurity(true), reads included.
-- Parameters: :tenant_id (the namespace: the view's tenant, '' for the unconfined store)
-- Returns:    the value set
SELECT set_config('fabula.tenant_id', :tenant_id, true)

-- Erase the dead letters of one event of a tenant, every projection and version (EventStore.erase).
-- Parameters: :tenant_id (the namespace; '' for none), :position
DELETE FROM ${qualified_prefix}projection_dead_letters
WHERE tenant_id = :tenant_id
  AND position = :position

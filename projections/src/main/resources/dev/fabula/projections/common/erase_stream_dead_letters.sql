-- Erase the dead letters of one stream of a tenant, every projection and version (EventStore.erase).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
DELETE FROM ${qualified_prefix}projection_dead_letters
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

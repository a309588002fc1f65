-- Erase a stream's events. The caller opened the append-only guard's escape hatch in the same
-- transaction (allow_hard_delete.sql).
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
DELETE FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

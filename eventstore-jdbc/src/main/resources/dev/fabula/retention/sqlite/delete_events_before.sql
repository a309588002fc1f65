-- Remove a stream's events below a version. The caller opened the append-only guard's escape
-- hatch for the stream in the same transaction (allow_hard_delete.sql) and closes it after.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :before_version
DELETE FROM ${prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND stream_version < :before_version

-- The global positions of a stream's events.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
SELECT position
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id

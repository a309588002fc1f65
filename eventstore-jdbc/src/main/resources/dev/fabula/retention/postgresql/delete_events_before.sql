-- Remove a stream's events below a version through the owner's SECURITY DEFINER function
-- (migration V1 of this component): the append-only guard lets nothing else delete.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id, :before_version
-- Returns: the number of events removed.
SELECT ${schema}.${prefix}retention_delete_events(:tenant_id, :stream_id, :before_version)

-- Erase a stream's events through the owner's SECURITY DEFINER function (migration V3): the only
-- way past the append-only guard. Roles without EXECUTE on it get 42501, translated by the dialect.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
-- Returns: the number of events erased.
SELECT ${schema}.${prefix}hard_delete_stream(:tenant_id, :stream_id)

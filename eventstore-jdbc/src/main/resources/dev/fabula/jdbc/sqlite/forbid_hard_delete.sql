-- Close the escape hatch opened by allow_hard_delete.sql.
-- Parameters: :tenant_id (the namespace; '' for none), :stream_id
DELETE FROM ${prefix}hard_delete_permit WHERE tenant_id = :tenant_id AND stream_id = :stream_id

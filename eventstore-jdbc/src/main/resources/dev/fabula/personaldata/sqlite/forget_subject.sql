-- Forgets a data subject: deletes every version of its key, in one tenant's namespace only.
-- Parameters: :tenant_id (the namespace; '' for none), :subject_id
-- Returns:    the number of keys deleted.
DELETE FROM ${prefix}personal_data_keys
WHERE tenant_id = :tenant_id
  AND subject_id = :subject_id

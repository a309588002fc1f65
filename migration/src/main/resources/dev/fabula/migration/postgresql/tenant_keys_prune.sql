-- Deletes a moving tenant's data keys that the source no longer holds (subjects forgotten there
-- since an earlier copy), so that a forgotten subject stays forgotten in this database.
-- Parameters: :tenant_id, :key_ids (the source's key ids of the tenant, an array)
DELETE FROM ${qualified_prefix}personal_data_keys
WHERE tenant_id = :tenant_id
  AND key_id <> ALL(:key_ids)

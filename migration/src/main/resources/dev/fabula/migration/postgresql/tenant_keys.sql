-- A tenant's data keys (crypto-shredding), to copy them to the database the tenant moves to.
-- Parameters: :tenant_id
SELECT
    tenant_id,
    subject_id,
    version,
    key_id,
    key_bytes,
    created_at
FROM ${qualified_prefix}personal_data_keys
WHERE tenant_id = :tenant_id
ORDER BY subject_id, version

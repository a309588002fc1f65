-- A data subject's newest key.
-- Parameters: :tenant_id (the namespace; '' for none), :subject_id
-- Returns:    zero or one row: version, key_id, key_bytes.
SELECT
    version,
    key_id,
    key_bytes
FROM ${prefix}personal_data_keys
WHERE tenant_id = :tenant_id
  AND subject_id = :subject_id
ORDER BY version DESC
LIMIT 1

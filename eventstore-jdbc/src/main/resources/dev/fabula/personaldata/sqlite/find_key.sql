-- One key of a data subject, by the id its envelopes name.
-- Parameters: :tenant_id (the namespace; '' for none), :subject_id, :key_id
-- Returns:    zero rows (forgotten, or another tenant's or subject's key) or one: version, key_id, key_bytes.
SELECT
    version,
    key_id,
    key_bytes
FROM ${prefix}personal_data_keys
WHERE tenant_id = :tenant_id
  AND subject_id = :subject_id
  AND key_id = :key_id

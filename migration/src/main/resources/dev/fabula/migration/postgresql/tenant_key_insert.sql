-- Copies one data key of a moving tenant into this database, unless it is there already.
-- Parameters: :tenant_id, :subject_id, :version, :key_id, :key_bytes, :created_at
INSERT INTO ${qualified_prefix}personal_data_keys (
    tenant_id,
    subject_id,
    version,
    key_id,
    key_bytes,
    created_at
) VALUES (
    :tenant_id,
    :subject_id,
    :version,
    :key_id,
    :key_bytes,
    :created_at
)
ON CONFLICT DO NOTHING

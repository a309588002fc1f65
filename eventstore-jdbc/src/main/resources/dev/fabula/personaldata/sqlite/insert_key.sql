-- Adds a version of a data subject's key unless that version exists.
-- Parameters: :tenant_id (the namespace; '' for none), :subject_id, :version, :key_id, :key_bytes, :created_at
-- Guarantees: of writers adding the same version at once, one row wins and the others insert
--             nothing (they read the winner back with current_key.sql).
INSERT INTO ${prefix}personal_data_keys (
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

-- Records a row that failed to import (kind MAPPING_FAILED, REJECTED_BY_STORE or CHANGED_SINCE_IMPORTED).
-- Parameters: :name, :row_key, :kind, :reason.
-- Guarantees: written in the batch's transaction; a row recorded twice is kept once.
INSERT INTO ${qualified_prefix}migration_import_failures (
    name,
    row_key,
    kind,
    reason
)
VALUES (:name, :row_key, :kind, :reason)
ON CONFLICT (name, row_key, kind) DO NOTHING

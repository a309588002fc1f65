-- The ids of a tenant's streams (tombstones of erased or hard-deleted streams hold a hash instead).
-- Parameters: :tenant_id
SELECT
    stream_id
FROM ${qualified_prefix}streams
WHERE tenant_id = :tenant_id

-- Whether the fence trigger is attached to the data key table (1) or not yet (0).
SELECT
    COUNT(*)
FROM pg_trigger
WHERE tgrelid = CAST('${qualified_prefix}personal_data_keys' AS regclass)
  AND tgname = '${prefix}migration_tenant_fence_keys'

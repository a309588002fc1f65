-- Step 2 of the read horizon (see the fence in append.sql): the fences held by appending
-- transactions of this store, as the low 32 bits of their positions (no row when none is in
-- flight). safe_horizon_head_fenced.sql then puts back their high bits.
-- Parameters: :fence_table (the events table's OID, the fences' first key)
SELECT DISTINCT l.objid::bigint AS low_bits
FROM pg_locks AS l
WHERE l.locktype = 'advisory'
  AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = :fence_table

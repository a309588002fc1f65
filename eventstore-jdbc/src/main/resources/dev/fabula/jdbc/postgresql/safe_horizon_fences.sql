-- Step 2 of the read horizon (see the fence in append.sql): the fences held by appending
-- transactions of this store, as the low 32 bits of their positions (no row when none is in
-- flight). The caller then reads the sequence again and puts back the high bits: every fence seen
-- here is at or below that value + 1, and above it - 2^32 as long as fewer than 2^32 positions are
-- handed out while one appending transaction stays open.
-- Parameters: :fence_table (the events table's OID, the fences' first key)
SELECT DISTINCT l.objid::bigint AS low_bits
FROM pg_locks AS l
WHERE l.locktype = 'advisory'
  AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint = :fence_table

-- Step 2 of the read horizon (see the fence in append.sql): the smallest fence held by an appending
-- transaction of this store in this database, as a position (null when none is in flight).
-- Parameters: :fence_base, :class_low, :class_high (the key range of this store's namespace)
SELECT min(((l.classid::bigint << 32) | l.objid::bigint) - :fence_base) AS smallest_fence
FROM pg_locks AS l
WHERE l.locktype = 'advisory'
  AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint BETWEEN :class_low AND :class_high

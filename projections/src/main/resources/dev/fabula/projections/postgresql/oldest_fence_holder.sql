-- What holds the head of the log back: the in-flight appending transaction with the smallest
-- fence of this store (see the fence in the event store's append.sql), with its session, for status reports.
-- Parameters: :fence_base (the store's lock namespace << 48), :class_low, :class_high (the key
--             range of the namespace)
-- Returns: at most one row: pid, the first position the transaction may still commit
--          (from_position), when its transaction started, its application name and state.
SELECT
    l.pid,
    ((l.classid::bigint << 32) | l.objid::bigint) - :fence_base AS from_position,
    a.xact_start,
    a.application_name,
    a.state
FROM pg_locks AS l
LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.objsubid = 1
  AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid::bigint BETWEEN :class_low AND :class_high
ORDER BY
    from_position,
    a.xact_start
LIMIT 1

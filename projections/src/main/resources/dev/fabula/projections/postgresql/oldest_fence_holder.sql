-- What holds the head of the log back: the in-flight appending transactions of this store (see the
-- fence and its namespace in the event store's append.sql), with their sessions, for status reports.
-- Parameters: none
-- Returns: one row per fence held: pid, the low 32 bits of its fence position (low_bits; the caller
--          then reads position_watermark.sql and puts back the high bits), when its transaction
--          started, its application name and state.
SELECT
    l.pid,
    l.objid::bigint AS low_bits,
    a.xact_start,
    a.application_name,
    a.state
FROM pg_locks AS l
LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.objsubid = 2
  AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = CAST(to_regclass('${qualified_prefix}events') AS oid)

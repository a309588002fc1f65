-- The database's clock, which every lease, due time and schedule is compared with (TimeSource).
-- Parameters: none.
-- Returns:    one row: the current time in microseconds since the Unix epoch.
-- Guarantee:  clock_timestamp() is the server's time when the statement runs (now() would be the
-- start of the transaction), so a reading inside a long transaction is not stale.
SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS bigint)

-- The database's clock, which every lease, due time and schedule is compared with (TimeSource).
-- Parameters: none.
-- Returns:    one row: the current time in microseconds since the Unix epoch, the encoding of
--             every time column (julianday('now') has millisecond precision).
-- Guarantee:  SQLite runs in the application's process, so this is the host's clock, which every
-- process on the host (the only ones that can open the file) shares.
SELECT CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER) * 1000

-- The highest position handed out so far. Read in an appending transaction before the append
-- (which holds SQLite's write lock): every event the append writes gets a larger position, and
-- every event it merely finds (an idempotent retry of an earlier append) has one at or below it.
-- Parameters: none
SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '${prefix}events'), 0)

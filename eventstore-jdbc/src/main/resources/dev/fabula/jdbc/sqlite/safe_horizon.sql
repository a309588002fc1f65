-- The read horizon: the largest committed position (see read_all.sql).
SELECT COALESCE(MAX(position), 0) FROM ${prefix}events

-- Tell other processes that events were appended (LISTEN on the store's channel).
-- Sent after commit, outside the appending transaction, by one background thread per store that
-- coalesces bursts, so committing transactions never queue on PostgreSQL's notification lock.
-- The statement is its own transaction (autocommit), committed without waiting for the WAL flush
-- (synchronous_commit off for this transaction only): a notification needs no durability, and
-- waiting would put a second flush between the appenders' commits.
-- Parameters: :channel, :position (the last appended position, as text)
SELECT set_config('synchronous_commit', 'off', true), pg_notify(:channel, :position)

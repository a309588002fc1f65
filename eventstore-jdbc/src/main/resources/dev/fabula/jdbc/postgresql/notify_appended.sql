-- Tell other processes that events were appended (LISTEN on the store's channel).
-- Sent after commit, outside the appending transaction, by one background thread per store that
-- coalesces bursts, so committing transactions never queue on PostgreSQL's notification lock.
-- Parameters: :channel, :position (the last appended position, as text)
SELECT pg_notify(:channel, :position)

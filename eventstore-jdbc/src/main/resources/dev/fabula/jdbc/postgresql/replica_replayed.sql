-- On a read replica: how far it has replayed the primary's WAL, in bytes from 0/0 (null when the
-- server is not in recovery: it is not a standby, or was promoted).
SELECT CAST(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0') AS bigint)

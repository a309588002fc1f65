-- Whether a server session is still inside a statement or transaction: one whose connection failed
-- while committing may still be finishing that commit, and until it is done, its events' absence
-- proves nothing. A session that has ended (or sits idle) has committed or rolled back for good.
-- A session of another role whose state the caller may not see counts as busy.
-- Parameters: :pid (the session's backend process id, from the driver)
-- Returns: one boolean
SELECT EXISTS (
    SELECT 1
    FROM pg_stat_activity
    WHERE pid = :pid
      AND state IS DISTINCT FROM 'idle'
)

-- Serialise retention transactions (the first statement of each), so that removal ids are handed
-- out in commit order. Appends and log reads do not take this lock.
LOCK TABLE ${qualified_prefix}removals IN SHARE ROW EXCLUSIVE MODE

-- Waits for every transaction that is writing streams to end, and keeps new writers out until the
-- calling transaction ends: a fence set in that transaction holds for every write after it.
LOCK TABLE ${qualified_prefix}streams IN SHARE ROW EXCLUSIVE MODE

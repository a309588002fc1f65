-- Waits for every transaction that is creating or deleting data keys to end, and keeps new ones
-- out until the calling transaction ends: a subject forgotten after the fence meets it.
LOCK TABLE ${qualified_prefix}personal_data_keys IN SHARE ROW EXCLUSIVE MODE

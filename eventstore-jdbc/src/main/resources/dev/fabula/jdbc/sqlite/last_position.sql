-- The position of the last event this connection inserted.
SELECT last_insert_rowid()

-- Step 1 of the read horizon (see the fence in append.sql): the highest position handed out so far.
-- Must run before safe_horizon_fences.sql, in its own statement.
SELECT COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0)

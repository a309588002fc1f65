-- The highest position handed out so far. Read in an appending transaction before the append:
-- every event the append writes gets a larger position, and every event it merely finds (an
-- idempotent retry of an earlier append) has one at or below it.
-- Parameters: none
SELECT COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0)

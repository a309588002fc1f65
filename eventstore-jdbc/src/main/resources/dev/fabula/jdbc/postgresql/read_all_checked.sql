-- One page of the global log (read_all.sql: same parameters, same rows) and, as a last column
-- of every row, the largest position any recorded retention removal took out of the log (0 for
-- none), read in the same statement and so in the same snapshot as the rows. A page whose
-- watermark is at or below the reader's position crossed no removal: no removal committed
-- before the rows were read reaches above it, and the rows include every event a later one
-- takes. Only then does the reader skip the removals query (removed_after.sql of the
-- retention component), which it runs otherwise. Used only once the retention tables exist.
SELECT
    ${event_columns},
    (SELECT COALESCE(MAX(last_position), 0) FROM ${qualified_prefix}removals) AS removals_through
${read_all_page}
-- Lists every read switch that was ever set (an unset switch means LEGACY).
-- Parameters: none.
-- Returns:    one row per switch, by name; updated_at is an ISO-8601 instant.
SELECT
    name,
    target,
    updated_at
FROM ${qualified_prefix}migration_read_switches
ORDER BY name

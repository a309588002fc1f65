-- The newest migration recorded for each component (the event store's, the modules').
-- Parameters: none
-- Returns: one row per component that has migrations recorded: component, version
SELECT
    component,
    MAX(version) AS version
FROM ${qualified_prefix}schema_version
GROUP BY component

-- Lists the projections with their positions and states (for status; the caller checks the table exists).
-- Parameters: none.
SELECT
    name,
    version,
    position,
    state
FROM ${qualified_prefix}projection_checkpoints
ORDER BY name, version

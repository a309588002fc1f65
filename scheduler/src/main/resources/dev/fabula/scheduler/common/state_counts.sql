-- Jobs per state.
-- Parameters: none.
-- Returns:    state, count.
SELECT
    state,
    count(*) AS jobs
FROM ${qualified_prefix}jobs
GROUP BY state

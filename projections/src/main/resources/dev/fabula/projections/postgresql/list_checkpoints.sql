-- Every projection version's checkpoint row (the columns of read_checkpoint.sql).
-- Parameters: none
SELECT
    c.name,
    c.version,
    c.position,
    c.owner,
    c.lease_until_ms,
    c.state,
    c.last_error,
    c.failed_position,
    c.rebuild_requested,
    c.rebuildable,
    c.types,
    c.categories,
    c.updated_at_ms,
    c.fencing_token,
    CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint) AS now_ms,
    (SELECT count(*) FROM ${qualified_prefix}projection_dead_letters AS d
     WHERE d.name = c.name AND d.version = c.version AND d.status = 'RETRY') AS retry_requests,
    (SELECT count(*) FROM ${qualified_prefix}projection_dead_letters AS d
     WHERE d.name = c.name AND d.version = c.version AND d.status IN ('PARKED', 'RETRY')) AS parked_events
FROM ${qualified_prefix}projection_checkpoints AS c
ORDER BY
    c.name,
    c.version

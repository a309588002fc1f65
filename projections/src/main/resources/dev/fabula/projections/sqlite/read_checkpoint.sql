-- One projection version's checkpoint row, the database's clock, and its dead-letter counts.
-- Parameters: :name, :version
-- Returns: one row, or none for an unknown projection version.
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
    CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER) AS now_ms,
    (SELECT count(*) FROM ${qualified_prefix}projection_dead_letters AS d
     WHERE d.name = c.name AND d.version = c.version AND d.status = 'RETRY') AS retry_requests,
    (SELECT count(*) FROM ${qualified_prefix}projection_dead_letters AS d
     WHERE d.name = c.name AND d.version = c.version AND d.status IN ('PARKED', 'RETRY')) AS parked_events
FROM ${qualified_prefix}projection_checkpoints AS c
WHERE c.name = :name
  AND c.version = :version

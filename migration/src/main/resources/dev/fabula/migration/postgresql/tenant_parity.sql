-- A tenant's streams for a move's parity check, one row per stream: whether it is deleted, its
-- event count and last version, and a hash of its events in version order (id, type, schema
-- version, payload, metadata). Positions and recording times are left out: they are each
-- database's own. The tombstones of erased or hard-deleted streams are left out: their ids are
-- keyed hashes under each database's own secret, so they cannot move (see TenantMove).
-- Parameters: :tenant_id, :tombstone_prefix
SELECT
    s.stream_id,
    s.deleted,
    COUNT(e.position) AS events,
    COALESCE(MAX(e.stream_version), 0) AS last_version,
    md5(COALESCE(string_agg(
        CAST(e.event_id AS text) || '|' || e.event_type || '|' || CAST(e.schema_version AS text) || '|'
            || CAST(e.payload AS text) || '|' || CAST(e.metadata AS text) || '|'
            || COALESCE(e.correlation_id, '') || '|' || COALESCE(e.causation_id, '') || '|' || COALESCE(e.actor, ''),
        ',' ORDER BY e.stream_version), '')) AS content_hash
FROM ${qualified_prefix}streams s
LEFT JOIN ${qualified_prefix}events e
    ON e.tenant_id = s.tenant_id
   AND e.stream_id = s.stream_id
WHERE s.tenant_id = :tenant_id
  AND LEFT(s.stream_id, LENGTH(:tombstone_prefix)) <> :tombstone_prefix
GROUP BY s.stream_id, s.deleted

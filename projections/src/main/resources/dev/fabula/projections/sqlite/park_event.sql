-- Park an event: record it in the dead-letter table instead of applying it. Runs in the
-- transaction that moves the checkpoint past it, so an event is either applied, parked, or pending.
-- Parameters: :name, :version, :position, :tenant_id ('' for no tenant), :stream_id, :stream_version, :event_type,
--             :blocked_by (the stream's earlier parked position, or null for the failing event),
--             :reason, :attempts
INSERT INTO ${qualified_prefix}projection_dead_letters (
    ${dead_letter_columns}
)
VALUES (
    :name,
    :version,
    :position,
    :tenant_id,
    :stream_id,
    :stream_version,
    :event_type,
    'PARKED',
    :blocked_by,
    :reason,
    :attempts,
    CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER),
    CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)
)

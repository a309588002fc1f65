-- Record a removal, in the transaction that removes the events.
-- Parameters: :tenant_id, :stream_id, :category, :kind ('TRUNCATED' or 'ARCHIVED'), :from_version,
--             :to_version, :first_position, :last_position, :event_count, :removed_at
-- Returns: the removal id.
INSERT INTO ${qualified_prefix}removals (
    tenant_id,
    stream_id,
    category,
    kind,
    from_version,
    to_version,
    first_position,
    last_position,
    event_count,
    removed_at
) VALUES (
    :tenant_id,
    :stream_id,
    :category,
    :kind,
    :from_version,
    :to_version,
    :first_position,
    :last_position,
    :event_count,
    :removed_at
)
RETURNING removal_id

-- The removals a log read crosses: above the reader's position, at or below the end of what it
-- read, in its tenant and categories, not yet accepted. Log reads run it after each page.
-- Parameters: :after (exclusive), :until (inclusive), :accepted (removal ids up to it are ignored),
--             :tenant_id (null: every namespace), :categories text[] (empty: every category)
SELECT
    removal_id,
    stream_id,
    kind,
    from_version,
    to_version,
    first_position,
    last_position,
    event_count,
    removed_at
FROM ${qualified_prefix}removals
WHERE last_position > :after
  AND first_position <= :until
  AND removal_id > :accepted
  AND (CAST(:tenant_id AS text) IS NULL OR tenant_id = :tenant_id)
  AND (cardinality(CAST(:categories AS text[])) = 0 OR category = ANY(CAST(:categories AS text[])))
ORDER BY removal_id

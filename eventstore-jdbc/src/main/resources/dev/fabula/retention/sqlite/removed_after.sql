-- The removals a log read crosses (see the PostgreSQL file).
-- Parameters: :after (exclusive), :until (inclusive), :accepted, :tenant_id (null: every
--             namespace), :categories (JSON array; '[]' for every category)
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
FROM ${prefix}removals
WHERE last_position > :after
  AND first_position <= :until
  AND removal_id > :accepted
  AND (:tenant_id IS NULL OR tenant_id = :tenant_id)
  AND (:categories = '[]' OR category IN (SELECT value FROM json_each(:categories)))
ORDER BY removal_id

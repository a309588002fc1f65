-- Part of one stream, newest first.
-- Parameters: :stream_id, :from_version (inclusive), :limit
SELECT
    ${event_columns}
FROM ${prefix}events
WHERE stream_id = :stream_id
  AND stream_version <= :from_version
ORDER BY stream_version DESC
LIMIT :limit

-- Extend the leases a worker pool still holds.
-- Parameters: :leases (JSON array of {"id", "token"}), :lease_until
-- Returns:    the ids renewed. A held job missing from the result has lost its lease (rescued,
--             cancelled, or claimed again): its worker is interrupted.
UPDATE ${qualified_prefix}jobs
SET lease_until = :lease_until
FROM (
    SELECT
        json_extract(value, '$.id') AS id,
        json_extract(value, '$.token') AS token
    FROM json_each(:leases)
) AS l
WHERE ${qualified_prefix}jobs.id = l.id
  AND ${qualified_prefix}jobs.lease_token = l.token
  AND ${qualified_prefix}jobs.state = 'running'
RETURNING id

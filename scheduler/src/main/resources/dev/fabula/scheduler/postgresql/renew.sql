-- Extend the leases a worker pool still holds.
-- Parameters: :leases (JSON array of {"id", "token"}), :lease_until
-- Returns:    the ids renewed. A held job missing from the result has lost its lease (rescued,
--             cancelled, or claimed again): its worker is interrupted.
UPDATE ${qualified_prefix}jobs AS j
SET lease_until = :lease_until
FROM jsonb_to_recordset(CAST(:leases AS jsonb)) AS l(id bigint, token bigint)
WHERE j.id = l.id
  AND j.lease_token = l.token
  AND j.state = 'running'
RETURNING j.id

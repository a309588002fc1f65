-- Hand a projection version over to its segments (in the transaction that created them): the
-- checkpoint row's lease goes to '(segments)' for good and its token is bumped, so that no runner
-- applies the projection whole again and a holder that applied it whole writes nothing more.
-- Parameters: :name, :version
-- Returns: the number of rows updated.
UPDATE ${qualified_prefix}projection_checkpoints
SET owner = '(segments)',
    lease_until_ms = 9000000000000000,
    fencing_token = fencing_token + 1,
    updated_at_ms = CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS bigint)
WHERE name = :name
  AND version = :version

-- The events an append just wrote to one stream, read back inside the appending transaction for
-- inline projections (the shared event column list of the store's read statements).
-- Parameters: :tenant_id (the appending unit of work's namespace; '' for none), :stream_id,
--             :first_version, :last_version
SELECT
    ${event_columns}
FROM ${qualified_prefix}events
WHERE tenant_id = :tenant_id
  AND stream_id = :stream_id
  AND stream_version BETWEEN :first_version AND :last_version
ORDER BY stream_version

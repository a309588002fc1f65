-- Lock one stream of a namespace until the transaction ends (the aggregate repository's serialised
-- writers take it before they load the aggregate, so that writers in every process take turns).
--
-- Parameters: :tenant_id (the namespace: the view's tenant, '' for the unconfined store),
--             :stream_id (the stream need not exist yet: creators of one stream take turns too).
-- Returns:    one row, once the lock is held.
--
-- Guarantees:
-- * An exclusive transaction-level advisory lock on one 64-bit key: a hash of tenant and stream id,
--   seeded with the events table's OID, so that stores in other schemas or with other prefixes
--   never share a key. Two streams whose keys collide merely take turns. The single-key form never
--   meets the two-key fences of append.sql (PostgreSQL keeps the two key spaces apart).
-- * Released at COMMIT or ROLLBACK; waiting obeys lock_timeout (JdbcConfig.lockTimeout).
-- * It guards only against other lockers: plain appends do not wait, and their expected-version
--   check catches what they changed.
SELECT pg_advisory_xact_lock(
           hashtextextended(
               -- the tenant's length first, so that no two (tenant, stream) pairs give one text
               concat_ws(':', length(CAST(:tenant_id AS text)), CAST(:tenant_id AS text), CAST(:stream_id AS text)),
               CAST(CAST(to_regclass('${qualified_prefix}events') AS oid) AS bigint)
           )
       ) IS NOT NULL AS locked

-- The first key of this store's fences (see the fence in append.sql): its events table's OID,
-- unique in the database, read once when the store first fences or reads the horizon.
-- Returns: the OID as an unsigned number (the caller reinterprets it as the signed int the
--          advisory-lock functions take).
SELECT CAST(CAST(to_regclass('${qualified_prefix}events') AS oid) AS bigint)

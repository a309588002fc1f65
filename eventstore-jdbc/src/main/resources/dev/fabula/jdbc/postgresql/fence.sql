-- Fence an append so that global-log readers never skip it (run first in every appending
-- transaction, before any position is taken), and find which of the append's event ids exist.
--
-- Parameters: :fence_base  the store's lock namespace (namespace << 48)
--             :event_ids   uuid[] of the events about to be appended
-- Returns:    the stored events carrying those ids (one all-null row when there are none).
--
-- Guarantee: the transaction holds a shared advisory lock whose key is (fence_base + L + 1), L
-- being the highest position handed out before the lock; every position it takes later is > L.
-- A reader computes its horizon (safe_horizon_*.sql) as
--     min(last position handed out, smallest fence key held - 1)
-- reading the sequence first and the locks second. Any position at or below that horizon belongs
-- to a transaction that has either ended (advisory locks are released after the commit becomes
-- visible) or holds a fence <= its positions, which lowers the horizon below them. So readers
-- never pass a position that may still commit, and only event-writing transactions hold them back.
SELECT
    fence.locked,
    e.position,
    e.stream_id,
    e.stream_version,
    e.event_id,
    e.event_type,
    e.schema_version,
    e.tenant_id,
    e.correlation_id,
    e.causation_id,
    e.actor,
    e.metadata::text AS metadata,
    e.payload::text AS payload,
    e.recorded_at
FROM (
    SELECT pg_advisory_xact_lock_shared(
               :fence_base + COALESCE(pg_sequence_last_value('${schema}.${prefix}position_seq'), 0) + 1
           ) IS NOT NULL AS locked
) AS fence
LEFT JOIN ${schema}.${prefix}events AS e ON e.event_id = ANY(:event_ids)

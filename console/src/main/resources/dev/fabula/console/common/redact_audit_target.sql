-- Blank the target of audit entries that name an erased stream (EventStore.erase): the console
-- writes "... stream <tenant>/<stream id>" (or "... stream <stream id>" for the unconfined store),
-- so the suffix names both the tenant and the stream, and another tenant's entries never match.
-- Parameters: :suffix (" stream " + the tenant's prefix + the stream id), :redacted
UPDATE ${qualified_prefix}console_audit
SET target = :redacted
WHERE length(target) >= length(:suffix)
  AND substr(target, length(target) - length(:suffix) + 1) = :suffix

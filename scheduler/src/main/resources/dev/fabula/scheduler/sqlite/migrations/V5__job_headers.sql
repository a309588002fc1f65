-- Fabula scheduler schema, version 5: jobs carry headers, string entries stamped when the job was
-- enqueued (the trace context of the enqueuing unit of work, from the store's metadata enricher),
-- as a JSON object; NULL for a job without any (every job from version 4 and earlier).
ALTER TABLE ${qualified_prefix}jobs ADD COLUMN headers TEXT;

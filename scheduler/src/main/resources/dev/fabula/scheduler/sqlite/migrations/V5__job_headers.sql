-- Fabula scheduler schema, version 4: jobs carry headers, string entries stamped when the job was
-- enqueued (the trace context of the enqueuing unit of work, from the store's metadata enricher),
-- as a JSON object; NULL for a job without any (every job from version 3).
ALTER TABLE ${qualified_prefix}jobs ADD COLUMN headers TEXT;

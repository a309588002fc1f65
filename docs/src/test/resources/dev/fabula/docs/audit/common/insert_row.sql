-- Records one audit row.
-- Parameters: :what
INSERT INTO ${qualified_prefix}audit_rows (what) VALUES (:what)

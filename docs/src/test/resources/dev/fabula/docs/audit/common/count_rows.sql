-- How many audit rows there are.
SELECT COUNT(*) FROM ${qualified_prefix}audit_rows

-- The audit component of docs/spi.md: one table beside the store's.
CREATE TABLE ${prefix}audit_rows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    what TEXT NOT NULL
);

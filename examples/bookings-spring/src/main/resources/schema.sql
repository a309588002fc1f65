-- The application's own table: one row per booking with its current status, written in the same
-- transaction as the booking's events (BookingTransactions). Runs on SQLite and PostgreSQL.
CREATE TABLE IF NOT EXISTS app_bookings (
    tenant_id VARCHAR(40) NOT NULL,
    booking_id VARCHAR(40) NOT NULL,
    staff_id VARCHAR(100) NOT NULL,
    slot VARCHAR(16) NOT NULL,
    customer VARCHAR(200) NOT NULL,
    price_cents BIGINT NOT NULL,
    status VARCHAR(20) NOT NULL,
    PRIMARY KEY (tenant_id, booking_id)
);

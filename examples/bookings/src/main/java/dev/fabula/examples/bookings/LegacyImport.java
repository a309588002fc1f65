package dev.fabula.examples.bookings;

import dev.fabula.EventData;
import dev.fabula.examples.bookings.BookingEvent.BookingImported;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;
import java.util.Map;

/**
 * Takes the legacy {@code bookings} table over: each row of a tenant becomes a {@code
 * booking-imported} event in the stream {@code booking-<tenant>:legacy-<id>}, appended through the
 * tenant's view. The migration module's {@link Importer} pages through the table in key order,
 * checkpoints each batch with its events, and gives every event a name-based id, so a rerun writes
 * nothing and a changed row is reported instead of duplicated. The legacy table is only read.
 *
 * <p>The legacy table needs the columns {@code id} (integer key), {@code tenant_id}, {@code
 * staff_id}, {@code slot}, {@code customer}, {@code price_cents} and {@code status}.
 */
public final class LegacyImport {
  private LegacyImport() {}

  /** Creates a legacy table of that shape, as the old system had it (for the tour and tests). */
  public static void createLegacyTable(JdbcEventStore store, String table) {
    store.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS " + table + " (id BIGINT PRIMARY KEY, "
        + "tenant_id VARCHAR(40) NOT NULL, staff_id VARCHAR(100) NOT NULL, slot VARCHAR(16) NOT NULL, "
        + "customer VARCHAR(200) NOT NULL, price_cents BIGINT NOT NULL, status VARCHAR(20) NOT NULL)"));
  }

  /** Imports {@code tenant}'s rows of {@code table}; rerunning it writes nothing. */
  public static ImportSummary run(JdbcEventStore store, String tenant, String table) {
    Tenants.check(tenant);
    if (!table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("legacy table name '" + table + "' is not a plain SQL identifier");
    }
    // The tenant is checked by Tenants.check (letters, digits, '-'), so it is safe as a literal here.
    ImportSource source = ImportSource.query("legacy-bookings-" + tenant,
        "SELECT id, staff_id, slot, customer, price_cents, status FROM " + table + " WHERE tenant_id = '" + tenant + "'",
        "id");
    return Importer.open(store, source, row -> map(tenant, row), ImportConfig.DEFAULT.withTenant(tenant).withBatchSize(100))
        .run();
  }

  private static MappedRow map(String tenant, Map<String, Object> row) {
    long id = ((Number) row.get("id")).longValue();
    String status = String.valueOf(row.get("status"));
    if (!status.equals("completed") && !status.equals("cancelled")) {
      throw new IllegalArgumentException("unknown legacy status '" + status + "'");
    }
    String bookingId = "legacy-" + id;
    BookingImported event = new BookingImported(bookingId, String.valueOf(row.get("staff_id")),
        String.valueOf(row.get("slot")), String.valueOf(row.get("customer")),
        ((Number) row.get("price_cents")).longValue(), status, id);
    return MappedRow.of(BookingPlatform.BOOKING.streamId(BookingPlatform.key(tenant, bookingId)), EventData.of(event));
  }
}

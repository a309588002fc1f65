package dev.fabula.examples.energy;

import dev.fabula.EventData;
import dev.fabula.Metadata;
import dev.fabula.examples.energy.MeterEvent.ReadingRecorded;
import dev.fabula.examples.energy.MeterEvent.TokensPurchased;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.FailedRow;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.ImportSummary;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;
import dev.fabula.migration.RowMapping;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Imports the legacy {@code electricity_readings} table (and {@code token_purchases}, if it exists)
 * into meter events with the migration module's {@link Importer}.
 *
 * <p>Each row becomes one event in its meter's stream ({@code meter-<meter_no>}), in the tenant of
 * the row's {@code user_id} ({@link MappedRow#withTenant}; the importer appends through {@code
 * Transaction.forTenant}), so that the meter belongs to its user: a reading row becomes a {@link
 * ReadingRecorded} with id {@code er-<id>}, a purchase row a {@link TokensPurchased} with id {@code
 * tp-<id>}. The metadata says where it came from ({@value #LEGACY_TABLE}, {@value #LEGACY_ID}), which
 * is how the read model keeps the legacy key for the parity check.
 *
 * <p>One import per table, named after the table: one pass writes every user's meters into their
 * own tenant, one transaction per batch. The importer reads the table page by page in {@code id}
 * order and makes the import <b>idempotent</b> (event ids derive from the import name and the row
 * key, so a rerun writes nothing) and <b>resumable</b> (each batch commits its events with the
 * checkpoint, so a crash loses and doubles nothing). Not thread-safe; {@link #run} blocks.
 */
public final class LegacyImport {
  /** Metadata entry: the legacy table the event was imported from. */
  public static final String LEGACY_TABLE = "legacy-table";
  /** Metadata entry: the legacy row's id. */
  public static final String LEGACY_ID = "legacy-id";

  private final JdbcEventStore store;
  private final LedgerTables tables;
  private final ImportConfig config;
  private final Consumer<Map<String, Object>> beforeEachRow;

  private LegacyImport(JdbcEventStore store, LedgerTables tables, ImportConfig config,
      Consumer<Map<String, Object>> beforeEachRow) {
    this.store = Objects.requireNonNull(store, "store");
    this.tables = Objects.requireNonNull(tables, "tables");
    this.config = Objects.requireNonNull(config, "config");
    this.beforeEachRow = Objects.requireNonNull(beforeEachRow, "beforeEachRow");
    if (config.tenant() != null) {
      throw new IllegalArgumentException("the import chooses the tenant of each user itself; pass a config without "
          + "tenant, got '" + config.tenant() + "'");
    }
  }

  /** An import of {@code tables}' legacy tables into {@code store}, with {@code config} (without a tenant) for each table's import. */
  public static LegacyImport of(JdbcEventStore store, LedgerTables tables, ImportConfig config) {
    return new LegacyImport(store, tables, config, row -> {});
  }

  /** Returns a copy that calls {@code hook} with each row before mapping it (for progress, or to simulate a crash). */
  public LegacyImport withBeforeEachRow(Consumer<Map<String, Object>> hook) {
    return new LegacyImport(store, tables, config, hook);
  }

  /** Runs (or resumes, or re-verifies) the import of both tables. */
  public Result run() {
    List<ImportSummary> summaries = new ArrayList<>();
    summaries.add(importer(tables.legacyReadings(), "SELECT id, user_id, meter_no, read_at, "
        + "CAST(reading_kwh AS TEXT) AS reading_kwh FROM " + tables.legacyReadings(), this::reading).run());
    if (exists(tables.legacyPurchases())) {
      summaries.add(importer(tables.legacyPurchases(), "SELECT id, user_id, meter_no, purchased_at, "
          + "CAST(kwh AS TEXT) AS kwh, CAST(amount AS TEXT) AS amount FROM " + tables.legacyPurchases(), this::purchase).run());
    }
    return new Result(summaries);
  }

  /** The table's import, named after it, read by the importer page by page in {@code id} order. */
  private Importer importer(String table, String select, RowMapping mapping) {
    RowMapping observed = row -> {
      beforeEachRow.accept(row);
      return mapping.map(row);
    };
    return Importer.open(store, ImportSource.query(table, select, "id"), observed, config);
  }

  private MappedRow reading(Map<String, Object> row) {
    Object id = row.get("id");
    ReadingRecorded event = new ReadingRecorded("er-" + id, decimal(row, "reading_kwh"), instant(row.get("read_at")));
    return meterRow(row, EventData.of(event).withMetadata(provenance(tables.legacyReadings(), id)));
  }

  private MappedRow purchase(Map<String, Object> row) {
    Object id = row.get("id");
    TokensPurchased event = new TokensPurchased("tp-" + id, decimal(row, "kwh"), decimal(row, "amount"),
        instant(row.get("purchased_at")));
    return meterRow(row, EventData.of(event).withMetadata(provenance(tables.legacyPurchases(), id)));
  }

  /** The event for the row's meter stream, which belongs to the row's user (their tenant). */
  private static MappedRow meterRow(Map<String, Object> row, EventData event) {
    return MappedRow.of(Meter.CATEGORY + "-" + row.get("meter_no"), event).withTenant(String.valueOf(row.get("user_id")));
  }

  private static Metadata provenance(String table, Object id) {
    return Metadata.EMPTY.withActor("legacy-import").with(LEGACY_TABLE, table).with(LEGACY_ID, String.valueOf(id));
  }

  /** A decimal read as text, so that it stays exact on every database. */
  private static BigDecimal decimal(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (value == null) {
      throw new IllegalArgumentException("column " + column + " is empty");
    }
    return new BigDecimal(value.toString().trim());
  }

  /** ISO-8601 text (with or without offset: UTC), or a database timestamp. */
  static Instant instant(Object value) {
    if (value instanceof java.sql.Timestamp ts) {
      return ts.toInstant();
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value == null) {
      throw new IllegalArgumentException("the time is empty");
    }
    String text = value.toString().trim().replace(' ', 'T');
    try {
      return Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }

  private boolean exists(String table) {
    try {
      store.jdbi().useHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE 1 = 0").mapTo(Long.class).one());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * What a run did: one importer summary per table.
   *
   * @param summaries the summaries: readings, then purchases
   */
  public record Result(List<ImportSummary> summaries) {
    /** Copies the list. */
    public Result {
      summaries = List.copyOf(summaries);
    }

    /** Rows read, over every import. */
    public long rowsRead() {
      return summaries.stream().mapToLong(ImportSummary::rowsRead).sum();
    }

    /** Events written by this run (0 for a rerun of a finished import). */
    public long eventsWritten() {
      return summaries.stream().mapToLong(ImportSummary::eventsWritten).sum();
    }

    /** Rows found already imported, exactly as they are now. */
    public long rowsSkipped() {
      return summaries.stream().mapToLong(ImportSummary::rowsSkipped).sum();
    }

    /** Rows not imported, with the reasons. */
    public List<FailedRow> failedRows() {
      return summaries.stream().flatMap(s -> s.failedRows().stream()).toList();
    }
  }
}

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
 * <p>Each row becomes one event in its meter's stream ({@code meter-<meter_no>}), appended through
 * {@code store.forTenant(user_id)} so that the meter belongs to its user: a reading row becomes a
 * {@link ReadingRecorded} with id {@code er-<id>}, a purchase row a {@link TokensPurchased} with id
 * {@code tp-<id>}. The metadata says where it came from ({@value #LEGACY_TABLE}, {@value
 * #LEGACY_ID}), which is how the read model keeps the legacy key for the parity check.
 *
 * <p>One import per user and table, named {@code <table>/<user>}, because an import writes into one
 * tenant. The importer makes each of them <b>idempotent</b> (event ids derive from the import name
 * and the row key, so a rerun writes nothing) and <b>resumable</b> (each batch commits its events
 * with the checkpoint, so a crash loses and doubles nothing). Rows are read with bound parameters
 * only. Not thread-safe; {@link #run} blocks.
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

  /** An import of {@code tables}' legacy tables into {@code store}, with {@code config} for each user's import. */
  public static LegacyImport of(JdbcEventStore store, LedgerTables tables, ImportConfig config) {
    return new LegacyImport(store, tables, config, row -> {});
  }

  /** Returns a copy that calls {@code hook} with each row before mapping it (for progress, or to simulate a crash). */
  public LegacyImport withBeforeEachRow(Consumer<Map<String, Object>> hook) {
    return new LegacyImport(store, tables, config, hook);
  }

  /** Runs (or resumes, or re-verifies) every user's import of both tables. */
  public Result run() {
    boolean purchases = exists(tables.legacyPurchases());
    List<String> users = store.jdbi().withHandle(h -> h.createQuery("SELECT user_id FROM " + tables.legacyReadings()
            + (purchases ? " UNION SELECT user_id FROM " + tables.legacyPurchases() : "") + " ORDER BY 1")
        .mapTo(String.class).list());
    List<ImportSummary> summaries = new ArrayList<>();
    for (String user : users) {
      summaries.add(importer(tables.legacyReadings(), user, "SELECT id, user_id, meter_no, read_at, "
          + "CAST(reading_kwh AS TEXT) AS reading_kwh FROM " + tables.legacyReadings(), this::reading).run());
      if (purchases) {
        summaries.add(importer(tables.legacyPurchases(), user, "SELECT id, user_id, meter_no, purchased_at, "
            + "CAST(kwh AS TEXT) AS kwh, CAST(amount AS TEXT) AS amount FROM " + tables.legacyPurchases(), this::purchase).run());
      }
    }
    return new Result(summaries);
  }

  private Importer importer(String table, String user, String select, RowMapping mapping) {
    String paged = select + " WHERE user_id = :user AND id > :after ORDER BY id LIMIT :limit";
    ImportSource source = ImportSource.rows(table + "/" + user, new KeysetRows(store.jdbi(), paged, user), r -> r.get("id"));
    RowMapping observed = row -> {
      beforeEachRow.accept(row);
      return mapping.map(row);
    };
    return Importer.create(store, source, observed, config.withTenant(user));
  }

  private MappedRow reading(Map<String, Object> row) {
    Object id = row.get("id");
    ReadingRecorded event = new ReadingRecorded("er-" + id, decimal(row, "reading_kwh"), instant(row.get("read_at")));
    return MappedRow.of(Meter.CATEGORY + "-" + row.get("meter_no"), EventData.of(event).withMetadata(provenance(
        tables.legacyReadings(), id)));
  }

  private MappedRow purchase(Map<String, Object> row) {
    Object id = row.get("id");
    TokensPurchased event = new TokensPurchased("tp-" + id, decimal(row, "kwh"), decimal(row, "amount"),
        instant(row.get("purchased_at")));
    return MappedRow.of(Meter.CATEGORY + "-" + row.get("meter_no"), EventData.of(event).withMetadata(provenance(
        tables.legacyPurchases(), id)));
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
   * What a run did: one importer summary per user and table.
   *
   * @param summaries the summaries, by user then table
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

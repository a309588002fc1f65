package dev.fabula.migration;

import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.Transaction;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.internal.Checksum;
import dev.fabula.migration.internal.Keys;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import dev.fabula.migration.internal.NameBasedIds;
import dev.fabula.migration.internal.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfills history: reads rows from a {@link ImportSource}, maps each with a {@link RowMapping}
 * and appends the events, batch by batch.
 *
 * <pre>{@code
 * Importer importer = Importer.open(store,
 *     ImportSource.query("readings", "SELECT id, meter, wh FROM electricity_readings", "id"),
 *     row -> MappedRow.of("meter-" + row.get("meter"), EventData.json("ReadingImported", 1, toJson(row))),
 *     ImportConfig.DEFAULT.withRowsPerSecond(5_000));
 * ImportSummary summary = importer.run();
 * }</pre>
 *
 * <p><b>How it works.</b> Each batch is one transaction holding the batch's appends and the
 * import's checkpoint (the last key done, the counts and the checksum), so a crash, even SIGKILL,
 * loses nothing and doubles nothing: {@link #run} resumes after the last committed batch. Event ids
 * are name-based UUIDs of (source name, row key, event index): appending a row again is the store's
 * idempotent retry and writes nothing, and a row whose content changed since it was imported makes
 * the store refuse the ids ({@link EventIdConflictException}), which is reported as {@link
 * FailedRow.Kind#CHANGED_SINCE_IMPORTED} instead of duplicating events. A mapping that throws fails
 * only its row, which is listed with the reason. Running a finished import again starts a new pass
 * that re-reads every row, writes only what is missing and reports what changed.
 *
 * <p>Rows are read outside the write transactions (a SQL source page by page in key order), mapped
 * outside them, and rate-limited with a token bucket. Progress goes to the log every {@link
 * ImportConfig#progressInterval()} and to {@link ImportConfig#onProgress()} after every batch.
 *
 * <p>One process at a time per import name: the checkpoint moves optimistically, and a second
 * process running the same import fails with {@link MigrationException} instead of doubling work.
 * Not thread-safe; {@link #run} blocks.
 */
public final class Importer {
  private static final Logger LOG = LoggerFactory.getLogger(Importer.class);

  private final JdbcEventStore store;
  private final EventStore target;
  private final ImportSource source;
  private final RowMapping mapping;
  private final ImportConfig config;
  private final ComponentDatabase sql;

  private Importer(JdbcEventStore store, ImportSource source, RowMapping mapping, ImportConfig config) {
    this.store = Objects.requireNonNull(store, "store");
    this.source = Objects.requireNonNull(source, "source");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.config = Objects.requireNonNull(config, "config");
    this.target = config.tenant() == null ? store : store.forTenant(config.tenant());
    this.sql = MigrationTables.open(store);
  }

  /** An importer of {@code source} into {@code store}; creates the toolkit's tables if needed. */
  public static Importer open(JdbcEventStore store, ImportSource source, RowMapping mapping, ImportConfig config) {
    return new Importer(store, source, mapping, config);
  }

  /** The checkpoint as it stands: what the current (or last) pass has done so far. */
  private record Checkpoint(int pass, @Nullable Object lastKey, long rowsRead, long eventsWritten, long rowsSkipped,
      long rowsFailed, long rowsChanged, String checksum, boolean finished) {}

  /** A mapped row waiting for its batch's transaction. */
  private record Pending(String key, MappedRow row, List<EventData> events) {}

  /**
   * Runs the import to the end of the source, resuming after the last checkpoint, and returns the
   * pass's summary.
   *
   * @throws MigrationException if another process runs the same import, or the source is out of order
   */
  public ImportSummary run() {
    Checkpoint cp = startOrResume();
    long total = config.countTotal() ? countTotal() : -1;
    LOG.info("Import '{}' {} pass {} at {} rows done (batch {}, {} rows/s limit, tenant {}, {} rows in source)",
        source.name(), cp.rowsRead() == 0 ? "starting" : "resuming", cp.pass(), cp.rowsRead(), config.batchSize(),
        config.rowsPerSecond() == 0 ? "no" : config.rowsPerSecond(), config.tenant(), total < 0 ? "uncounted" : total);
    TokenBucket bucket = new TokenBucket(config.rowsPerSecond(), config.clock(), config.sleeper());
    Instant started = config.clock().instant();
    Instant lastLog = started;
    long rowsAtStart = cp.rowsRead();
    Iterator<Map<String, Object>> iterator = source.rows() == null ? null : source.rows().iterator();
    while (true) {
      List<Map<String, Object>> page = iterator == null ? nextPage(cp.lastKey()) : nextRows(iterator, cp.lastKey());
      if (page.isEmpty()) {
        cp = commit(cp, List.of(), List.of(), cp.lastKey(), cp.checksum(), true);
        break;
      }
      bucket.acquire(page.size());
      cp = importBatch(cp, page);
      Instant now = config.clock().instant();
      ImportProgress progress = progress(cp.rowsRead(), cp.rowsRead() - rowsAtStart, total, Duration.between(started, now));
      config.onProgress().accept(progress);
      if (!Duration.between(lastLog, now).minus(config.progressInterval()).isNegative()) {
        lastLog = now;
        LOG.info("Import '{}': {} rows done{}, {} rows/s{}", source.name(), progress.rowsDone(),
            total < 0 ? "" : " of " + total, Math.round(progress.rowsPerSecond()),
            progress.estimatedRemaining() == null ? "" : ", about " + progress.estimatedRemaining().toSeconds() + " s left");
      }
    }
    ImportSummary summary = summary();
    LOG.info("Import '{}' pass {} finished: {} rows read, {} events written, {} rows already imported, "
            + "{} rows failed to map, {} rows changed since imported, checksum {}", summary.name(), summary.pass(),
        summary.rowsRead(), summary.eventsWritten(), summary.rowsSkipped(), summary.mappingFailures().size(),
        summary.changedRows().size(), summary.checksum());
    return summary;
  }

  /** The summary of the current (or last) pass from the checkpoint, without importing anything. */
  public ImportSummary summary() {
    return sql.read("reading import '" + source.name() + "'", h -> {
      Checkpoint cp = read(h);
      if (cp == null) {
        return new ImportSummary(source.name(), 0, 0, 0, 0, List.of(), Checksum.EMPTY);
      }
      List<FailedRow> failed = h.createQuery(sql.sql("import_failures_read")).bind("name", source.name())
          .map((rs, ctx) -> new FailedRow(rs.getString(1), FailedRow.Kind.valueOf(rs.getString(2)), rs.getString(3)))
          .list();
      return new ImportSummary(source.name(), cp.pass(), cp.rowsRead(), cp.eventsWritten(), cp.rowsSkipped(), failed,
          cp.checksum());
    });
  }

  // ---- checkpoint ----------------------------------------------------------------------------

  private Checkpoint startOrResume() {
    return target.inTransaction(tx -> {
      Handle h = tx.unwrap(Handle.class);
      h.createUpdate(sql.sql("import_checkpoint_create")).bind("name", source.name()).bind("checksum", Checksum.EMPTY)
          .bind("now", now()).execute();
      Checkpoint cp = Objects.requireNonNull(read(h));
      if (cp.finished()) {
        // A rerun of a finished import: a new pass that re-reads everything and writes only what is missing.
        h.createUpdate(sql.sql("import_failures_clear")).bind("name", source.name()).execute();
        int moved = h.createUpdate(sql.sql("import_pass_start")).bind("name", source.name()).bind("pass", cp.pass())
            .bind("checksum", Checksum.EMPTY).bind("now", now()).execute();
        if (moved != 1) {
          throw new MigrationException("import '" + source.name() + "' was restarted by another process at the same time; "
              + "run one importer per import name");
        }
        cp = Objects.requireNonNull(read(h));
      }
      return cp;
    });
  }

  private @Nullable Checkpoint read(Handle h) {
    return h.createQuery(sql.sql("import_checkpoint_read")).bind("name", source.name())
        .map((rs, ctx) -> {
          String key = rs.getString(2);
          return new Checkpoint(rs.getInt(1), key == null ? null : Keys.restore(key, rs.getInt(3) == 1),
              rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getString(9), rs.getInt(10) == 1);
        })
        .findOne().orElse(null);
  }

  // ---- reading -------------------------------------------------------------------------------

  private long countTotal() {
    if (source.query() == null) {
      return source.rows() instanceof java.util.Collection<?> c ? c.size() : -1;
    }
    String count = sql.sql("import_count", Map.of("source_query", source.query()));
    return store.jdbi().withHandle(h -> h.createQuery(count).mapTo(Long.class).one());
  }

  private List<Map<String, Object>> nextPage(@Nullable Object after) {
    Map<String, String> placeholders = Map.of("source_query", Objects.requireNonNull(source.query()),
        "key_column", Objects.requireNonNull(source.keyColumn()));
    String statement = sql.sql(after == null ? "import_page_first" : "import_page_after", placeholders);
    try {
      return store.jdbi().withHandle(h -> {
        var query = h.createQuery(statement).bind("limit", config.batchSize());
        if (after != null) {
          query.bindByType("after", after, after.getClass());
        }
        return query.mapToMap().list();
      });
    } catch (RuntimeException e) {
      throw new MigrationException("cannot read source '" + source.name() + "' (" + e.getMessage()
          + "); check the query and that its key column '" + source.keyColumn() + "' is in its select list", e);
    }
  }

  private List<Map<String, Object>> nextRows(Iterator<Map<String, Object>> rows, @Nullable Object after) {
    List<Map<String, Object>> page = new ArrayList<>();
    Object previous = after;
    while (page.size() < config.batchSize() && rows.hasNext()) {
      Map<String, Object> row = rows.next();
      Object key = source.keyOf(row);
      if (after != null && Keys.compare(key, after) <= 0) {
        continue; // done before the resume
      }
      if (previous != null && Keys.compare(key, previous) <= 0) {
        throw new MigrationException("source '" + source.name() + "' gave key " + Keys.text(key) + " after "
            + Keys.text(previous) + "; rows must come in ascending key order, each key once");
      }
      previous = key;
      page.add(row);
    }
    return page;
  }

  // ---- one batch -----------------------------------------------------------------------------

  private Checkpoint importBatch(Checkpoint cp, List<Map<String, Object>> page) {
    List<Pending> pending = new ArrayList<>();
    List<FailedRow> failures = new ArrayList<>();
    String checksum = cp.checksum();
    Object lastKey = cp.lastKey();
    for (Map<String, Object> row : page) {
      Object key = source.keyOf(row);
      String keyText = Keys.text(key);
      lastKey = key;
      checksum = Checksum.add(checksum, keyText, row);
      MappedRow mapped;
      try {
        mapped = mapping.map(row);
      } catch (Exception e) {
        failures.add(new FailedRow(keyText, FailedRow.Kind.MAPPING_FAILED, describe(e)));
        continue;
      }
      if (mapped == null) {
        failures.add(new FailedRow(keyText, FailedRow.Kind.MAPPING_FAILED, "the mapping returned null"));
        continue;
      }
      String tenantProblem = tenantProblem(mapped);
      if (tenantProblem != null) {
        failures.add(new FailedRow(keyText, FailedRow.Kind.MAPPING_FAILED, tenantProblem));
        continue;
      }
      List<EventData> events = new ArrayList<>(mapped.events().size());
      for (int i = 0; i < mapped.events().size(); i++) {
        events.add(mapped.events().get(i).withEventId(NameBasedIds.forImport(source.name(), keyText, i)));
      }
      pending.add(new Pending(keyText, mapped, events));
    }
    return commit(cp, pending, failures, lastKey, checksum, false);
  }

  /**
   * Why a mapped row's tenant cannot be imported, or null when it can. (Two rows may map the same
   * stream id to two tenants: each tenant has a namespace of its own, so those are two streams.)
   */
  private @Nullable String tenantProblem(MappedRow mapped) {
    String tenant = mapped.tenantId();
    if (tenant != null && config.tenant() != null && !tenant.equals(config.tenant())) {
      return "the row maps to tenant '" + tenant + "' but the import is confined to tenant '" + config.tenant() + "'";
    }
    return null;
  }

  /** The tenant whose namespace a pending row's events go to. */
  private Optional<String> tenantOf(Pending p) {
    return Optional.ofNullable(p.row().tenantId() != null ? p.row().tenantId() : config.tenant());
  }

  /** The unit of work confined to {@code tenant}; itself when null (the import's tenant). */
  private static Transaction confined(Transaction tx, @Nullable String tenant) {
    return tenant == null ? tx : tx.forTenant(tenant);
  }

  /**
   * One transaction: the rows already stored are appended one by one (the store replays them, or
   * refuses changed ones), the new ones in one multi-stream append, then failures and checkpoint.
   */
  private Checkpoint commit(Checkpoint cp, List<Pending> pending, List<FailedRow> mappingFailures,
      @Nullable Object lastKey, String checksum, boolean finished) {
    return target.inTransaction(tx -> {
      Handle h = tx.unwrap(Handle.class);
      // Event ids are unique per tenant: look them up in each row's tenant's namespace.
      Map<Optional<String>, List<UUID>> idsByTenant = new LinkedHashMap<>();
      for (Pending p : pending) {
        p.events().forEach(e -> idsByTenant.computeIfAbsent(tenantOf(p), t -> new ArrayList<>()).add(e.eventId()));
      }
      Set<List<Object>> stored = new HashSet<>();
      idsByTenant.forEach((tenant, ids) -> sql.findEvents(h, tenant.orElse(null), ids)
          .forEach(e -> stored.add(List.of(tenant, e.eventId()))));
      List<FailedRow> failures = new ArrayList<>(mappingFailures);
      long skipped = 0;
      long written = 0;
      // per tenant (null: the import's), per stream, in row order
      Map<Optional<String>, Map<String, List<EventData>>> fresh = new LinkedHashMap<>();
      for (Pending p : pending) {
        if (p.events().isEmpty()) {
          continue;
        }
        boolean anyStored = p.events().stream().anyMatch(e -> stored.contains(List.of(tenantOf(p), e.eventId())));
        if (!anyStored) {
          fresh.computeIfAbsent(Optional.ofNullable(p.row().tenantId()), t -> new LinkedHashMap<>())
              .computeIfAbsent(p.row().streamId(), s -> new ArrayList<>()).addAll(p.events());
          continue;
        }
        try {
          confined(tx, p.row().tenantId()).append(p.row().streamId(), ExpectedVersion.any(), p.events());
          skipped++;
        } catch (EventIdConflictException e) {
          failures.add(new FailedRow(p.key(), FailedRow.Kind.CHANGED_SINCE_IMPORTED,
              "the row was imported before with other content: " + e.getMessage()));
        }
      }
      for (Map.Entry<Optional<String>, Map<String, List<EventData>>> group : fresh.entrySet()) {
        List<StreamAppend> appends = new ArrayList<>();
        group.getValue().forEach((stream, events) -> appends.add(new StreamAppend(stream, ExpectedVersion.any(), events)));
        confined(tx, group.getKey().orElse(null)).appendAll(appends);
        written += group.getValue().values().stream().mapToLong(List::size).sum();
      }
      for (FailedRow f : failures) {
        h.createUpdate(sql.sql("import_failure_insert")).bind("name", source.name()).bind("row_key", f.key())
            .bind("kind", f.kind().name()).bind("reason", f.reason()).execute();
      }
      long mappingFailed = mappingFailures.size();
      long changed = failures.size() - mappingFailed;
      Checkpoint next = new Checkpoint(cp.pass(), lastKey, cp.rowsRead() + pending.size() + mappingFailed,
          cp.eventsWritten() + written, cp.rowsSkipped() + skipped, cp.rowsFailed() + mappingFailed,
          cp.rowsChanged() + changed, checksum, finished);
      int moved = h.createUpdate(sql.sql("import_checkpoint_advance"))
          .bind("name", source.name())
          .bind("pass", cp.pass())
          .bind("expected_rows", cp.rowsRead())
          .bind("last_key", lastKey == null ? null : Keys.text(lastKey))
          .bind("last_key_number", lastKey != null && Keys.isNumber(lastKey) ? 1 : 0)
          .bind("rows_read", next.rowsRead())
          .bind("events_written", next.eventsWritten())
          .bind("rows_skipped", next.rowsSkipped())
          .bind("rows_failed", next.rowsFailed())
          .bind("rows_changed", next.rowsChanged())
          .bind("checksum", checksum)
          .bind("finished", finished ? 1 : 0)
          .bind("now", now())
          .execute();
      if (moved != 1) {
        throw new MigrationException("the checkpoint of import '" + source.name() + "' was moved by another process "
            + "(expected " + cp.rowsRead() + " rows done in pass " + cp.pass() + "); run one importer per import name");
      }
      return next;
    });
  }

  private ImportProgress progress(long done, long doneThisRun, long total, Duration elapsed) {
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    double rate = doneThisRun / seconds;
    Duration eta = total < 0 || rate <= 0 ? null : Duration.ofSeconds((long) Math.ceil(Math.max(0, total - done) / rate));
    return new ImportProgress(source.name(), done, total, rate, eta);
  }

  private String now() {
    return config.clock().instant().toString();
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (message == null && e.getStackTrace().length > 0) {
      message = "at " + e.getStackTrace()[0]; // an NPE and the like say nothing else
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

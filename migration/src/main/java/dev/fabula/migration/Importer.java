package dev.fabula.migration;

import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.SerializationException;
import dev.fabula.StreamAppend;
import dev.fabula.StreamDeletedException;
import dev.fabula.TenantAccessException;
import dev.fabula.Transaction;
import dev.fabula.UnknownEventTypeException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.internal.Checksum;
import dev.fabula.migration.internal.Keys;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import dev.fabula.migration.internal.NameBasedIds;
import dev.fabula.migration.internal.SourceReader;
import dev.fabula.migration.internal.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
 * only its row, which is listed with the reason. So does a row whose events the store rejects (a
 * payload over the size limit, a NUL character, a stream id too long: {@link
 * dev.fabula.InvalidInputException} and its kin): the batch is halved, each half committed on its
 * own, until the row is found, which is listed as {@link FailedRow.Kind#REJECTED_BY_STORE} with the
 * store's message while the rest is imported. Running a finished import again starts a new pass
 * that re-reads every row, writes only what is missing and reports what changed or failed.
 *
 * <p>Rows are read outside the write transactions (a SQL source page by page in key order, after
 * {@link #run} checked that the key column has neither nulls nor repeats), mapped outside them,
 * and rate-limited with a token bucket. Progress goes to the log every {@link
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

  /** A source row of a batch: its events to append, or why it fails; and the checksum up to it. */
  private record Row(Object key, String checksum, @Nullable Pending pending, @Nullable FailedRow failure) {
    static Row failed(Object key, String checksum, FailedRow.Kind kind, String reason) {
      return new Row(key, checksum, null, new FailedRow(Keys.text(key), kind, reason));
    }
  }

  /**
   * Runs the import to the end of the source, resuming after the last checkpoint, and returns the
   * pass's summary.
   *
   * @throws MigrationException if another process runs the same import, a SQL source's key column
   *     has a null or repeated value (checked before anything is imported), or an iterable source is
   *     out of key order
   */
  public ImportSummary run() {
    SourceReader reader = new SourceReader(store, sql, source, config.batchSize());
    reader.checkKeys();
    Checkpoint cp = startOrResume();
    long total = config.countTotal() ? reader.count() : -1;
    LOG.info("Import '{}' {} pass {} at {} rows done (batch {}, {} rows/s limit, tenant {}, {} rows in source)",
        source.name(), cp.rowsRead() == 0 ? "starting" : "resuming", cp.pass(), cp.rowsRead(), config.batchSize(),
        config.rowsPerSecond() == 0 ? "no" : config.rowsPerSecond(), config.tenant(), total < 0 ? "uncounted" : total);
    TokenBucket bucket = new TokenBucket(config.rowsPerSecond(), config.clock(), config.sleeper());
    Instant started = config.clock().instant();
    Instant lastLog = started;
    long rowsAtStart = cp.rowsRead();
    while (true) {
      List<Map<String, Object>> page = reader.next(cp.lastKey());
      if (page.isEmpty()) {
        cp = commit(cp, List.of(), true);
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
            + "{} rows failed to map, {} rows rejected by the store, {} rows changed since imported, checksum {}",
        summary.name(), summary.pass(), summary.rowsRead(), summary.eventsWritten(), summary.rowsSkipped(),
        summary.mappingFailures().size(), summary.rejectedRows().size(), summary.changedRows().size(), summary.checksum());
    return summary;
  }

  /** The import's name: its source's, which keys its checkpoint. */
  public String name() {
    return source.name();
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

  // ---- one batch -----------------------------------------------------------------------------

  private Checkpoint importBatch(Checkpoint cp, List<Map<String, Object>> page) {
    List<Row> rows = new ArrayList<>(page.size());
    String checksum = cp.checksum();
    for (Map<String, Object> row : page) {
      Object key = source.keyOf(row);
      String keyText = Keys.text(key);
      checksum = Checksum.add(checksum, keyText, row);
      MappedRow mapped;
      try {
        mapped = mapping.map(row);
      } catch (Exception e) {
        rows.add(Row.failed(key, checksum, FailedRow.Kind.MAPPING_FAILED, describe(e)));
        continue;
      }
      if (mapped == null) {
        rows.add(Row.failed(key, checksum, FailedRow.Kind.MAPPING_FAILED, "the mapping returned null"));
        continue;
      }
      String tenantProblem = tenantProblem(mapped);
      if (tenantProblem != null) {
        rows.add(Row.failed(key, checksum, FailedRow.Kind.MAPPING_FAILED, tenantProblem));
        continue;
      }
      List<EventData> events = new ArrayList<>(mapped.events().size());
      for (int i = 0; i < mapped.events().size(); i++) {
        events.add(mapped.events().get(i).withEventId(NameBasedIds.forImport(source.name(), keyText, i)));
      }
      rows.add(new Row(key, checksum, new Pending(keyText, mapped, events), null));
    }
    return commitRejectingBadRows(cp, rows);
  }

  /**
   * Commits {@code rows}; when the store rejects an event of them, finds the row by halving the
   * batch (each half its own transaction and checkpoint) and lists it as failed with the store's
   * reason, so one bad row fails only itself and a rerun fails it again at no cost to the others.
   * Errors that are not about a row's content (the store unavailable, the checkpoint moved) are
   * thrown.
   */
  private Checkpoint commitRejectingBadRows(Checkpoint cp, List<Row> rows) {
    try {
      return commit(cp, rows, false);
    } catch (InvalidInputException | SerializationException | UnknownEventTypeException | StreamDeletedException
        | TenantAccessException e) {
      if (rows.size() == 1) {
        Row row = rows.get(0);
        return commit(cp, List.of(Row.failed(row.key(), row.checksum(), FailedRow.Kind.REJECTED_BY_STORE, describe(e))),
            false);
      }
      int half = rows.size() / 2;
      Checkpoint first = commitRejectingBadRows(cp, rows.subList(0, half));
      return commitRejectingBadRows(first, rows.subList(half, rows.size()));
    }
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
   * refuses changed ones), the new ones in one multi-stream append, then failures and checkpoint
   * (after the last row; where it was for none).
   */
  private Checkpoint commit(Checkpoint cp, List<Row> rows, boolean finished) {
    Object lastKey = rows.isEmpty() ? cp.lastKey() : rows.get(rows.size() - 1).key();
    String checksum = rows.isEmpty() ? cp.checksum() : rows.get(rows.size() - 1).checksum();
    List<Pending> pending = rows.stream().map(Row::pending).filter(Objects::nonNull).toList();
    List<FailedRow> rowFailures = rows.stream().map(Row::failure).filter(Objects::nonNull).toList();
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
      List<FailedRow> failures = new ArrayList<>(rowFailures);
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
      long failed = rowFailures.size();
      long changed = failures.size() - failed;
      Checkpoint next = new Checkpoint(cp.pass(), lastKey, cp.rowsRead() + rows.size(),
          cp.eventsWritten() + written, cp.rowsSkipped() + skipped, cp.rowsFailed() + failed,
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
    // a NUL character cannot be stored in the failures table's text column
    return (e.getClass().getSimpleName() + (message == null ? "" : ": " + message)).replace("\0", "\\u0000");
  }
}

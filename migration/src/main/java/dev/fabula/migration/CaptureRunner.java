package dev.fabula.migration;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.internal.Identifiers;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.migration.internal.MigrationTables;
import dev.fabula.migration.internal.NameBasedIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the captured changes of one legacy table into events, in order, exactly once.
 *
 * <p><b>How it works.</b> Each batch is one transaction: read the oldest captured changes (locked
 * on PostgreSQL, under the write lock on SQLite, so a second runner waits instead of overtaking),
 * map each with the {@link ChangeMapping}, append the events, and delete the changes. The appends
 * and the deletes commit together, so a change is applied exactly once even across crashes; event
 * ids derive from the capture sequence as a second guard. There is no cursor, so PostgreSQL's
 * sequence gaps (sequence order is not commit order across rows) cannot lose a change: a late
 * commit is simply read by the next batch. Per legacy row, sequence order is commit order (the
 * row's lock orders its writers), which is the order that matters for its stream.
 *
 * <p><b>Meeting the backfill.</b> Install capture first, then backfill. Both carry the whole row,
 * and the rule is: <em>a row's captured changes are applied after its backfilled event</em>. With
 * {@link CaptureConfig#withWaitForImport} the runner holds every change until that import has
 * finished once, so a change made while the backfill ran follows the row's import event in its
 * stream, whichever row version the backfill read: a read model that applies import, insert and
 * update events as "the row is now this" and delete events as "the row is gone" ends at the legacy
 * row's current state, with no gap (changes after the install are all captured) and no double (each
 * change applied once, each row imported once).
 *
 * <p>Not thread-safe; call {@link #drain} from one thread on your own schedule.
 */
public final class CaptureRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureRunner.class);
  private static final TypeReference<LinkedHashMap<String, Object>> ROW = new TypeReference<>() {};

  private final JdbcEventStore store;
  private final EventStore target;
  private final String table;
  private final ChangeMapping mapping;
  private final CaptureConfig config;
  private final ComponentDatabase sql;
  private boolean waitingLogged;

  private CaptureRunner(JdbcEventStore store, String table, ChangeMapping mapping, CaptureConfig config) {
    this.store = Objects.requireNonNull(store, "store");
    this.table = Identifiers.unqualified(Identifiers.table(table));
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.config = Objects.requireNonNull(config, "config");
    this.target = config.tenant() == null ? store : store.forTenant(config.tenant());
    this.sql = MigrationTables.open(store);
  }

  /** A runner for the captured changes of {@code table}. */
  public static CaptureRunner open(JdbcEventStore store, String table, ChangeMapping mapping, CaptureConfig config) {
    return new CaptureRunner(store, table, mapping, config);
  }

  /**
   * Applies captured changes batch by batch until none are left (or the import to wait for has not
   * finished), and returns how many it applied.
   *
   * @throws MigrationException if the mapping fails on a change (which stays captured)
   */
  public long drain() {
    long total = 0;
    int applied;
    do {
      applied = runOnce();
      total += applied;
    } while (applied > 0);
    return total;
  }

  /** Applies one batch of captured changes and returns how many; 0 when none wait or the import has not finished. */
  public int runOnce() {
    if (!importFinished()) {
      return 0;
    }
    return target.inTransaction(tx -> {
      Handle h = tx.unwrap(Handle.class);
      List<CapturedChange> changes = h.createQuery(sql.sql("capture_read"))
          .bind("table_name", table).bind("limit", config.batchSize())
          .map((rs, ctx) -> new CapturedChange(rs.getLong(1), table, CapturedChange.Operation.of(rs.getString(2).trim()),
              parse(rs.getString(3)), parse(rs.getString(4))))
          .list();
      if (changes.isEmpty()) {
        return 0;
      }
      Map<String, List<EventData>> byStream = new LinkedHashMap<>();
      for (CapturedChange change : changes) {
        MappedRow mapped;
        try {
          mapped = mapping.map(change);
        } catch (Exception e) {
          throw new MigrationException("the change mapping failed on captured change " + change.sequence() + " of "
              + table + " (" + change.operation() + " " + change.row() + "): " + e + "; fix the mapping and run again, "
              + "the change and those after it stay captured", e);
        }
        for (int i = 0; i < mapped.events().size(); i++) {
          byStream.computeIfAbsent(mapped.streamId(), s -> new ArrayList<>())
              .add(mapped.events().get(i).withEventId(NameBasedIds.forCapture(table, change.sequence(), i)));
        }
      }
      if (!byStream.isEmpty()) {
        List<StreamAppend> appends = new ArrayList<>();
        byStream.forEach((stream, events) -> appends.add(new StreamAppend(stream, ExpectedVersion.any(), events)));
        tx.appendAll(appends);
      }
      var delete = h.prepareBatch(sql.sql("capture_delete"));
      changes.forEach(c -> delete.bind("seq", c.sequence()).add());
      delete.execute();
      return changes.size();
    });
  }

  private boolean importFinished() {
    if (config.waitForImport() == null) {
      return true;
    }
    boolean finished = sql.read("reading import '" + config.waitForImport() + "'", h -> h.createQuery(sql.sql("import_checkpoint_read"))
        .bind("name", config.waitForImport()).map((rs, ctx) -> rs.getInt(11) == 1).findOne().orElse(false));
    if (!finished && !waitingLogged) {
      waitingLogged = true;
      LOG.info("Capture runner for {} holds its changes until import '{}' has finished", table, config.waitForImport());
    }
    return finished;
  }

  private @Nullable Map<String, Object> parse(@Nullable String json) {
    if (json == null) {
      return null;
    }
    try {
      return store.types().mapper().readValue(json, ROW);
    } catch (java.io.IOException e) {
      throw new MigrationException("captured row is not valid JSON: " + json, e);
    }
  }
}

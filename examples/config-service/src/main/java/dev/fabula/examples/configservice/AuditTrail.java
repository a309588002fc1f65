package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.configservice.ConfigEvent.ValueCreated;
import dev.fabula.examples.configservice.ConfigEvent.ValueDeleted;
import dev.fabula.examples.configservice.ConfigEvent.ValueUpdated;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit worker: an asynchronous projection that writes one audit line per config change, to
 * the log (SLF4J logger {@value #LOGGER}, INFO) and to the table {@code <prefix>config_audit}.
 *
 * <p>It runs in a {@link ProjectionRunner}: a background thread reads the log after its
 * checkpoint and inserts the rows in the same transaction that moves the checkpoint, so each change
 * gets exactly one row, across crashes and restarts (the table's primary key is the event's global
 * position: a second row for one change would fail loudly). The log line is written from inside
 * that transaction; after a crash between the line and the commit, the line may appear twice in the
 * log, never in the table.
 */
public final class AuditTrail implements AutoCloseable {

  /** The logger the audit lines go to. */
  public static final String LOGGER = "dev.fabula.examples.configservice.audit";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  /**
   * One audit row.
   *
   * @param position the change's global position
   * @param name the config name
   * @param version the change's stream version
   * @param change {@code created}, {@code updated} or {@code deleted}
   * @param actor who made it, if known
   * @param recordedAt when the change was recorded
   * @param line the line as logged
   */
  public record Entry(
      long position, String name, long version, String change, @Nullable String actor, Instant recordedAt, String line) {}

  private final JdbcEventStore store;
  private final Projections projections;
  private final Projection projection;
  private final String table;
  private final ProjectionRunner runner;

  /** Creates the audit table if it is missing: DDL, run by {@link ConfigService#migrate}, never at start. */
  static void createTable(Handle handle, String tablePrefix) {
    handle.execute("CREATE TABLE IF NOT EXISTS " + tablePrefix + "config_audit ("
        + "position BIGINT PRIMARY KEY, "
        + "config_name TEXT NOT NULL, "
        + "version BIGINT NOT NULL, "
        + "change TEXT NOT NULL, "
        + "actor TEXT, "
        + "recorded_at TEXT NOT NULL, "
        + "line TEXT NOT NULL)");
  }

  private AuditTrail(JdbcEventStore store, String tablePrefix) {
    this.store = store;
    this.table = tablePrefix + "config_audit";
    this.projection = Projection.transactional("config-audit", TransactionalHandler.eachEvent(this::write))
        .withFilter(EventFilter.ofCategories(ConfigAggregate.CATEGORY))
        .withReset(handle -> handle.execute("DELETE FROM " + table));
    this.projections = Projections.open(store);
    this.runner = projections.runner(
        RunnerConfig.DEFAULT.withOwner("config-service-" + ProcessHandle.current().pid()), List.of(projection));
    runner.start();
  }

  /** Creates the audit table if needed and starts the worker; it catches up with the log first. */
  public static AuditTrail start(JdbcEventStore store, String tablePrefix) {
    return new AuditTrail(store, tablePrefix);
  }

  private void write(Handle handle, RecordedEvent recorded) {
    ConfigEvent event = (ConfigEvent) store.types().decode(recorded);
    String change;
    String values;
    if (event instanceof ValueCreated created) {
      change = "created";
      values = json(created.value());
    } else if (event instanceof ValueUpdated updated) {
      change = "updated";
      values = json(updated.oldValue()) + " -> " + json(updated.newValue());
    } else {
      change = "deleted";
      values = "was " + json(((ValueDeleted) event).oldValue());
    }
    String actor = recorded.metadata().actor();
    String line = String.format("config '%s' v%d %s by %s: %s", event.name(), recorded.streamVersion(), change,
        actor == null ? "(unknown)" : actor, values);
    handle.execute("INSERT INTO " + table + " (position, config_name, version, change, actor, recorded_at, line) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)",
        recorded.position(), event.name(), recorded.streamVersion(), change, actor,
        recorded.recordedAt().toString(), line);
    LOG.info("{} at {}", line, recorded.recordedAt());
  }

  private static String json(JsonNode value) {
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  /**
   * Blocks until the worker has written the audit rows of every change up to global {@code position}.
   *
   * @throws dev.fabula.projections.ProjectionTimeoutException if that takes longer than {@code timeout}
   */
  public void awaitPosition(long position, Duration timeout) {
    projections.awaitPosition(projection.id(), position, timeout);
  }

  /** The projections of the store, the audit worker's among them (status, rebuilds), for operators. */
  public Projections projections() {
    return projections;
  }

  /** Every audit row, oldest first. */
  public List<Entry> entries() {
    return store.jdbi().withHandle(handle -> handle.createQuery(
            "SELECT position, config_name, version, change, actor, recorded_at, line FROM " + table
                + " ORDER BY position")
        .map((rs, ctx) -> new Entry(rs.getLong("position"), rs.getString("config_name"), rs.getLong("version"),
            rs.getString("change"), rs.getString("actor"), Instant.parse(rs.getString("recorded_at")),
            rs.getString("line")))
        .list());
  }

  /** Stops the worker; it finishes its current batch and hands its lease over. */
  @Override
  public void close() {
    runner.close();
  }
}

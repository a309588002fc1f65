package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import dev.fabula.projections.internal.ProjectionsImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the projection contracts share: a fresh table prefix per test (so every test has its own
 * event store and projection tables in the backend's database), a store, and helpers. A backend's
 * test class supplies only {@link #url()}.
 */
abstract class ContractSupport {
  private static final AtomicInteger TESTS = new AtomicInteger();

  /** A runner configuration for tests: short lease and backoff, a poll that never decides a test. */
  static final RunnerConfig FAST = RunnerConfig.DEFAULT
      .withPollInterval(Duration.ofMinutes(10))
      .withLeaseDuration(Duration.ofSeconds(3))
      .withBackoff(Duration.ofMillis(5), Duration.ofMillis(40))
      .withMaxAttempts(3);

  /** The longest a test waits for something that should take milliseconds. */
  static final Duration WAIT = Duration.ofSeconds(20);

  protected String prefix;
  protected JdbcEventStore store;
  protected Projections projections;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<ProjectionRunner> runners = new ArrayList<>();

  /** A JDBC URL of the backend's database, credentials included (child processes use it too). */
  protected abstract String url();

  @BeforeEach
  void openStore() {
    prefix = "t" + TESTS.incrementAndGet() + "_";
    store = openAnotherStore();
    projections = Projections.open(store);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    store.close();
  }

  /** Another store instance on the same tables (another "process" for signals), closed after the test. */
  protected JdbcEventStore openAnotherStore() {
    return openAnotherStore(EventStoreConfig.DEFAULT);
  }

  /** Another store instance on the same tables, with {@code config}, closed after the test. */
  protected JdbcEventStore openAnotherStore(EventStoreConfig config) {
    JdbcEventStore s = JdbcEventStore.open(url(), config, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix).withMaxPoolSize(12));
    if (store != null) {
      closeables.add(s);
    }
    return s;
  }

  /** Closes {@code c} after the test, before the store. */
  protected <T extends AutoCloseable> T closeLater(T c) {
    closeables.add(c);
    return c;
  }

  /** Starts a runner, closed after the test. */
  protected ProjectionRunner run(RunnerConfig config, Projection... list) {
    ProjectionRunner runner = closeLater(projections.runner(config, List.of(list)));
    runners.add(runner);
    runner.start();
    return runner;
  }

  /** Closes the runners started so far: they release their leases. */
  protected void closeRunners() {
    runners.forEach(ProjectionRunner::close);
  }

  /**
   * Waits until {@code condition} holds, re-checking whenever a projection of this process makes
   * progress (not on a timer), for at most {@link #WAIT}.
   */
  protected void eventually(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      ((ProjectionsImpl) projections).awaitProgress(Duration.ofMillis(200));
    }
  }

  /** A table name private to this test. */
  protected String table(String name) {
    return prefix + name;
  }

  protected void execute(String sql) {
    store.jdbi().useHandle(h -> h.execute(sql));
  }

  protected long count(String sql) {
    return store.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  protected List<Long> longs(String sql) {
    return store.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).list());
  }

  static ObjectNode payload(String key, Object value) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put(key, String.valueOf(value));
    return node;
  }

  static EventData event(String type, int n) {
    return EventData.json(type, 1, payload("n", n));
  }

  /** Appends {@code count} events of {@code type} to {@code stream}, one append each. */
  protected AppendResult append(String stream, String type, int count) {
    AppendResult last = null;
    for (int i = 0; i < count; i++) {
      last = store.append(stream, ExpectedVersion.any(), List.of(event(type, i)));
    }
    return last;
  }

  /**
   * Appends {@code events} "ticked" events (a multiple of 10) to streams of 10 in one appendAll;
   * returns the last position.
   */
  protected long seedEvents(int events) {
    List<StreamAppend> appends = new ArrayList<>();
    for (int s = 0; s < events / 10; s++) {
      List<EventData> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(event("ticked", i));
      }
      appends.add(new StreamAppend("clock-" + s, ExpectedVersion.noStream(), batch));
    }
    return store.appendAll(appends).stream().mapToLong(AppendResult::lastPosition).max().orElseThrow();
  }

  /**
   * A table of applied events: the order they were applied in (seq), position (not unique on
   * purpose: a duplicate must show), stream, version, type.
   */
  protected String createAppliedTable(String name) {
    String t = table(name);
    execute("CREATE TABLE " + t + " (seq BIGINT NOT NULL, position BIGINT NOT NULL, stream_id VARCHAR(300) NOT NULL, "
        + "stream_version BIGINT NOT NULL, event_type VARCHAR(100) NOT NULL)");
    return t;
  }

  /** A handler that inserts each event into {@code table} in the checkpoint's transaction. */
  static TransactionalHandler insertInto(String table) {
    return TransactionalHandler.eachEvent((h, e) -> h.createUpdate(
            "INSERT INTO " + table + " (seq, position, stream_id, stream_version, event_type) "
                + "SELECT COALESCE(MAX(seq), 0) + 1, :p, :s, :v, :t FROM " + table)
        .bind("p", e.position())
        .bind("s", e.streamId())
        .bind("v", e.streamVersion())
        .bind("t", e.type())
        .execute());
  }

  /** Waits until a runner holds the lease of {@code id}. */
  protected void awaitLease(ProjectionId id) {
    eventually("a runner to take the lease of " + id, () -> projections.status(id).owner() != null);
  }

  /**
   * The tables a {@code ChildRunner}'s transactional projection writes: each applied position with
   * its runner, and a counter of applied events.
   */
  protected void createCrashModel() {
    execute("CREATE TABLE " + table("crash_model") + " (position BIGINT NOT NULL, owner VARCHAR(100) NOT NULL)");
    execute("CREATE TABLE " + table("crash_counter") + " (applied BIGINT NOT NULL)");
    execute("INSERT INTO " + table("crash_counter") + " (applied) VALUES (0)");
  }

  /** Every position of the log is in the crash model exactly once, and the counter agrees. */
  protected void assertCrashModelExactlyOnce() {
    String model = table("crash_model");
    assertThat(count("SELECT count(*) FROM (SELECT position FROM " + model + " GROUP BY position HAVING count(*) > 1) d"))
        .as("positions applied twice").isZero();
    assertThat(longs("SELECT position FROM " + model + " ORDER BY position")).as("positions applied")
        .containsExactlyElementsOf(allPositions());
    assertThat(count("SELECT applied FROM " + table("crash_counter"))).isEqualTo(allPositions().size());
  }

  /** Every position in the log, in order. */
  protected List<Long> allPositions() {
    try (var events = store.readAll(dev.fabula.LogQuery.all())) {
      return events.map(dev.fabula.RecordedEvent::position).toList();
    }
  }
}

package dev.fabula.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Migrations;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.migration.ParityReport;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.FailurePolicy;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A store with a projection that parks "poison" events and a job type that fails, both until
 * {@link #fixed} is set: what the console's tests act on. Each fixture has tables of its own.
 */
final class ConsoleFixture implements AutoCloseable {
  static final String TOKEN = "console-test-token-0123456789";
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger STORES = new AtomicInteger();

  final JdbcEventStore store;
  final Projections projections;
  final JobQueue queue;
  final ProjectionRunner runner;
  final WorkerPool pool;
  final AtomicBoolean fixed = new AtomicBoolean();
  final Set<Long> applied = ConcurrentHashMap.newKeySet();
  final ProjectionId orders = ProjectionId.of("order-list", 1);
  /** order-list v2, built beside v1 by {@link #startV2}; the positions it applied. */
  final ProjectionId ordersV2 = ProjectionId.of("order-list", 2);
  final Set<Long> appliedV2 = ConcurrentHashMap.newKeySet();
  /** Holds v2 at its first event until opened. */
  final CountDownLatch v2Gate = new CountDownLatch(1);
  private @Nullable ProjectionRunner v2Runner;
  /** A legacy table and a read model for the migration page's parity check ({@link #readingsParity}). */
  final String legacyReadings;
  final String readingView;

  ConsoleFixture(Function<JdbcConfig, JdbcEventStore> open) {
    store = open.apply(JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("console" + STORES.incrementAndGet() + "_"));
    projections = Projections.open(store);
    queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(100))
        .withRetryPolicy("charge", RetryPolicy.noRetry()));
    queue.register("charge", ctx -> {
      if (!fixed.get()) {
        throw new IllegalStateException("card declined <img src=x onerror=alert(1)>");
      }
      return JobResult.success();
    });
    Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {
      if (event.payload().path("poison").asBoolean() && !fixed.get()) {
        throw new IllegalStateException("cannot apply <script>alert('parked')</script>");
      }
      applied.add(event.position());
    })).withFailurePolicy(FailurePolicy.PARK).withIdempotentReplay();
    runner = projections.runner(RunnerConfig.DEFAULT.withMaxAttempts(1).withPollInterval(Duration.ofMillis(100))
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)), List.of(orderList)).start();
    pool = queue.newWorkerPool(2).start();
    legacyReadings = store.jdbcConfig().tablePrefix() + "legacy_readings";
    readingView = store.jdbcConfig().tablePrefix() + "reading_view";
  }

  /**
   * Starts order-list v2 beside v1: it replays the log from the start, held at its first event
   * until {@link #v2Gate} opens. At least once, so it waits outside any transaction and holds no
   * lock (SQLite has one writer).
   */
  void startV2() {
    Projection v2 = Projection.atLeastOnce("order-list", AtLeastOnceHandler.eachEvent(event -> {
      if (!v2Gate.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened v2's gate");
      }
      appliedV2.add(event.position());
    })).withVersion(2).withIdempotentReplay();
    v2Runner = projections.runner(RunnerConfig.DEFAULT.withPollInterval(Duration.ofMillis(100)), List.of(v2)).start();
    await("v2 to be registered", () -> projections.statuses().stream().anyMatch(s -> s.id().equals(ordersV2)));
  }

  /** The parity check the fixture's console offers: the legacy readings against their read model. */
  ParityReport readingsParity() {
    return ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id").withSumColumns("wh"))
        .compare("SELECT id, wh FROM " + legacyReadings, "SELECT id, wh FROM " + readingView);
  }

  /** Appends one event to {@code stream} (of {@code tenant}, when set) and returns its position. */
  long append(String tenant, String stream, boolean poison, String note) {
    var payload = JsonNodeFactory.instance.objectNode().put("poison", poison).put("note", note);
    var target = tenant == null ? store : store.forTenant(tenant);
    return target.append(stream, ExpectedVersion.any(), List.of(EventData.json("order-placed", 1, payload))).lastPosition();
  }

  Console console(ConsoleConfig config, ConsoleAuthenticator authenticator) {
    return Console.builder(store).projections(projections).jobs(queue).migration(Migrations.open(store))
        .parityCheck("readings", this::readingsParity).authenticator(authenticator).config(config).open();
  }

  static ConsoleAuthenticator tokenAuth() {
    return ConsoleAuthenticator.token(TOKEN, ConsoleUser.operator("ops"));
  }

  /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
  static void await(String what, BooleanSupplier condition) {
    Await.until(what, WAIT, condition);
  }

  @Override
  public void close() {
    v2Gate.countDown();
    if (v2Runner != null) {
      v2Runner.close();
    }
    pool.close();
    runner.close();
    store.close();
  }
}

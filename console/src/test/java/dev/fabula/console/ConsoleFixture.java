package dev.fabula.console;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

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
  }

  /** Appends one event to {@code stream} (of {@code tenant}, when set) and returns its position. */
  long append(String tenant, String stream, boolean poison, String note) {
    var payload = JsonNodeFactory.instance.objectNode().put("poison", poison).put("note", note);
    var target = tenant == null ? store : store.forTenant(tenant);
    return target.append(stream, ExpectedVersion.any(), List.of(EventData.json("order-placed", 1, payload))).lastPosition();
  }

  Console console(ConsoleConfig config, ConsoleAuthenticator authenticator) {
    return Console.builder(store).projections(projections).jobs(queue).authenticator(authenticator).config(config).open();
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
    pool.close();
    runner.close();
    store.close();
  }
}

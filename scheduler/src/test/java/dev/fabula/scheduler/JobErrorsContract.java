package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Throwable} in a worker pool is accounted for: an {@link Error} in a job handler
 * fails the attempt with the error in the job's history; an {@code Error} in the pool's own
 * threads (here thrown by the clock they read) is logged and retried, so finished jobs do not stay
 * RUNNING; a thread that dies of a fatal error stops the pool's claims and lease renewals, so
 * another pool takes its jobs over. A subclass supplies the database.
 */
abstract class JobErrorsContract {
  static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(20);

  protected abstract String url();

  protected abstract String tablePrefix();

  /**
   * A clock that stands still until moved, and throws once in a thread whose name starts with an
   * armed prefix: a fault injected into whatever that thread was doing.
   */
  static final class FaultyClock extends Clock {
    private volatile Instant now = T0;
    private final Map<String, Supplier<Error>> armed = new ConcurrentHashMap<>();

    void advance(Duration d) {
      now = now.plus(d);
    }

    /** The next read of the clock in a thread named {@code threadPrefix}… throws {@code error}. */
    void failNextIn(String threadPrefix, Supplier<Error> error) {
      armed.put(threadPrefix, error);
    }

    boolean fired(String threadPrefix) {
      return !armed.containsKey(threadPrefix);
    }

    @Override
    public Instant instant() {
      String name = Thread.currentThread().getName();
      for (String prefix : armed.keySet()) {
        if (name.startsWith(prefix)) {
          Supplier<Error> error = armed.remove(prefix);
          if (error != null) {
            throw error.get();
          }
        }
      }
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  protected FaultyClock clock;
  protected JdbcEventStore store;
  protected JobQueue queue;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void open() {
    clock = new FaultyClock();
    store = openStore();
    queue = JobQueue.open(store, config());
  }

  @AfterEach
  void close() throws Exception {
    List<AutoCloseable> all = new ArrayList<>(toClose);
    Collections.reverse(all);
    for (AutoCloseable c : all) {
      c.close();
    }
    store.close();
  }

  JdbcEventStore openStore() {
    JdbcEventStore s = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix()));
    if (store != null) {
      toClose.add(s);
    }
    return s;
  }

  JobQueueConfig config() {
    return JobQueueConfig.DEFAULT
        .withClock(clock)
        .withTime(TimeSource.of(clock))
        .withPollInterval(Duration.ofMillis(20))
        .withMaintenanceInterval(Duration.ofMillis(50))
        .withLease(Duration.ofHours(6), Duration.ofMillis(100))
        .withShutdownTimeout(Duration.ofSeconds(5))
        .withRetryPolicy("long", RetryPolicy.DEFAULT.withBaseDelay(Duration.ZERO)); // a retry is due at once
  }

  WorkerPool started(WorkerPool pool) {
    toClose.add(pool);
    return pool.start();
  }

  Job awaitState(JobQueue q, long id, JobState state) {
    return Await.value("job " + id + " is " + state, WAIT, () -> q.job(id).orElseThrow(), j -> j.state() == state);
  }

  @Test
  void an_error_in_a_job_handler_fails_the_attempt_with_the_error_in_the_history() {
    queue.register("deep", ctx -> {
      throw new StackOverflowError("recursed too deep");
    });
    long id = queue.enqueue(JobRequest.of("deep").withMaxAttempts(1)).id();
    WorkerPool pool = started(queue.newWorkerPool(1));

    Job failed = awaitState(queue, id, JobState.FAILED);
    assertThat(failed.lastError()).contains("StackOverflowError", "recursed too deep");
    assertThat(queue.history(id)).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(JobRun.Outcome.FAILED);
      assertThat(run.error()).contains("StackOverflowError");
    });
    assertThat(pool.failure()).isEmpty();
  }

  @Test
  void an_error_in_the_thread_that_records_outcomes_is_retried_and_the_finished_job_does_not_stay_running() {
    queue.register("work", ctx -> {
      // The next clock read of the thread that records this outcome fails: the dispatcher on a
      // single-writer database, the outcome writer elsewhere.
      clock.failNextIn("fabula-dispatcher", () -> new StackOverflowError("injected into the dispatcher"));
      clock.failNextIn("fabula-outcome-writer", () -> new StackOverflowError("injected into the outcome writer"));
      return JobResult.success();
    });
    long id = queue.enqueue(JobRequest.of("work")).id();
    WorkerPool pool = started(queue.newWorkerPool(1));

    awaitState(queue, id, JobState.SUCCEEDED);
    assertThat(queue.history(id)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);

    // The pool goes on: it claims and finishes the next job too.
    long next = queue.enqueue(JobRequest.of("work")).id();
    awaitState(queue, next, JobState.SUCCEEDED);
    assertThat(pool.failure()).isEmpty();
  }

  @Test
  void an_error_in_the_lease_keeper_is_logged_and_the_next_renewal_still_runs() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    queue.register("long", ctx -> {
      running.countDown();
      finish.await(20, TimeUnit.SECONDS);
      return JobResult.success();
    });
    long id = queue.enqueue(JobRequest.of("long")).id();
    WorkerPool pool = started(queue.newWorkerPool(1));
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

    clock.failNextIn("fabula-lease-keeper", () -> new StackOverflowError("injected into the lease keeper"));
    Await.until("the keeper's clock read failed", WAIT, () -> clock.fired("fabula-lease-keeper"));
    clock.advance(Duration.ofHours(1));
    // A scheduled task that throws is never run again: the lease would run out under the handler.
    Instant renewedUntil = T0.plus(Duration.ofHours(7));
    Await.value("the lease is renewed after the keeper's error", WAIT, () -> queue.job(id).orElseThrow(),
        j -> j.leaseUntil() != null && !j.leaseUntil().isBefore(renewedUntil));

    finish.countDown();
    awaitState(queue, id, JobState.SUCCEEDED);
    assertThat(pool.failure()).isEmpty();
  }

  @Test
  void a_pool_whose_dispatcher_dies_of_a_fatal_error_stops_renewing_so_another_pool_takes_its_job_over()
      throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    List<String> workers = Collections.synchronizedList(new ArrayList<>());
    queue.register("long", ctx -> {
      if (ctx.attempt() == 1) {
        running.countDown();
        try {
          new CountDownLatch(1).await(); // until interrupted
        } catch (InterruptedException e) {
          interrupted.countDown();
          throw e;
        }
      }
      return JobResult.success();
    });
    long id = queue.enqueue(JobRequest.of("long").withMaxAttempts(5)).id();
    WorkerPool first = started(queue.newWorkerPool(1));
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

    clock.failNextIn("fabula-dispatcher", () -> new OutOfMemoryError("injected: Java heap space"));
    Await.until("the first pool reports its dead dispatcher", WAIT, () -> first.failure().isPresent());
    assertThat(first.failure().orElseThrow()).contains("dispatcher", "OutOfMemoryError", "injected: Java heap space");
    // Its keeper stops renewing and stops the handler, whose outcome nobody would write.
    assertThat(interrupted.await(20, TimeUnit.SECONDS)).isTrue();

    // Once the lease (6 h) has run out, another pool takes the job over and finishes it.
    clock.advance(Duration.ofHours(7));
    JobQueue other = JobQueue.open(openStore(), config());
    other.register("long", ctx -> {
      workers.add("other");
      return JobResult.success();
    });
    WorkerPool second = started(other.newWorkerPool(1));
    Job done = awaitState(other, id, JobState.SUCCEEDED);
    assertThat(workers).containsExactly("other");
    assertThat(done.attempt()).isGreaterThan(1);
    assertThat(second.failure()).isEmpty();
  }
}

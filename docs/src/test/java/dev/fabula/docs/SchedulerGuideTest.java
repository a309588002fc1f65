package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.ControllableClock;
import dev.fabula.scheduler.ConcurrencyLimit;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.Priority;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.scheduler.Schedule;
import dev.fabula.scheduler.ScheduleInfo;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.TimeSource;
import dev.fabula.scheduler.WorkerPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/scheduler.md, run on a SQLite file. */
class SchedulerGuideTest {
  private static final long WAIT_SECONDS = 20;
  /** A Saturday, the day before New York moves its clocks forward. */
  private static final Instant NOW = Instant.parse("2025-03-08T12:07:00Z");

  @EventType("OrderPlaced")
  record OrderPlaced(int order) {}

  record Receipt(int order) {}

  /** Stands in for a mail client. */
  static final class Mailer {
    final List<Receipt> sent = new CopyOnWriteArrayList<>();
    final CountDownLatch first = new CountDownLatch(1);

    void send(Receipt r) {
      sent.add(r);
      first.countDown();
    }
  }

  @TempDir Path dir;
  final Mailer mailer = new Mailer();

  @Test
  void quick_start_commits_the_event_and_the_job_together() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("app.db");
    // snippet:quick-start
    EventStoreConfig storeConfig = EventStoreConfig.DEFAULT.withEventTypes(EventTypes.builder().register(OrderPlaced.class).build());
    try (JdbcEventStore store = JdbcEventStore.open(url, storeConfig, JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);      // 1. create (migrates its tables too)

      queue.register("send-receipt", ctx -> {                                // 2. register handlers
        Receipt r = ctx.payload(Receipt.class);
        mailer.send(r);
        return JobResult.success();
      });

      try (WorkerPool pool = queue.newWorkerPool(8).start()) {               // 3. start workers
        store.inTransaction(tx -> {
          tx.append("order-7", ExpectedVersion.noStream(), List.of(EventData.of(new OrderPlaced(7))));
          return queue.enqueue(tx, JobRequest.of("send-receipt").withPayloadOf(new Receipt(7)));
        });                                                                  // the event and the job commit together
      }                                                                      // close(): running jobs finish first
    }
    // end
    try (JdbcEventStore store = JdbcEventStore.open(url, storeConfig, TestTables.MIGRATING)) {
      assertThat(store.readStream("order-7")).hasSize(1);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      Job job = queue.list(JobQuery.ALL).get(0);
      assertThat(job.state()).as("closed pools leave no job running").isIn(JobState.PENDING, JobState.SUCCEEDED);
      queue.register("send-receipt", ctx -> {
        mailer.send(ctx.payload(Receipt.class));
        return JobResult.success();
      });
      if (job.state() == JobState.PENDING) { // the first pool closed before it claimed the job
        try (WorkerPool pool = queue.newWorkerPool(1).start()) {
          assertThat(mailer.first.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
      }
      assertThat(mailer.sent).containsExactly(new Receipt(7));
      assertThat(queue.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(queue.job(job.id()).orElseThrow().attempt()).isEqualTo(1);
    }
  }

  @Test
  void a_pool_runs_jobs_in_the_background_while_it_is_open() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      queue.register("send-receipt", ctx -> {
        mailer.send(ctx.payload(Receipt.class));
        return JobResult.success("{\"sent\": true}");
      });
      Job job;
      try (WorkerPool pool = queue.newWorkerPool(8).start()) {
        job = queue.enqueue(JobRequest.of("send-receipt").withPayloadOf(new Receipt(8)));
        assertThat(mailer.first.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      } // close() lets the running job finish and records its outcome
      Job done = queue.job(job.id()).orElseThrow();
      assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
      assertThat(done.output()).contains("sent");
      assertThat(mailer.sent).containsExactly(new Receipt(8));
    }
  }

  @Test
  void a_saga_step_and_its_compensation_commit_together_and_the_compensation_runs_on_failure() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("saga.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      CountDownLatch refunded = new CountDownLatch(1);
      queue.register("capture-payment", ctx -> JobResult.failWithoutRetry("card declined"));
      queue.register("refund", ctx -> {
        refunded.countDown();
        return JobResult.success();
      });
      queue.register("confirm-booking", ctx -> JobResult.success());
      // snippet:compensation
      long[] ids = store.inTransaction(tx -> {
        long capture = queue.enqueue(tx, JobRequest.of("capture-payment").withPayload("{\"booking\": 42}")).id();
        long refund = queue.enqueue(tx, JobRequest.of("refund").withPayload("{\"booking\": 42}").afterFailureOf(capture)).id();
        long confirm = queue.enqueue(tx, JobRequest.of("confirm-booking").withParent(capture)).id();
        return new long[] {capture, refund, confirm};
      }); // capture fails for good: refund runs, confirm fails; capture succeeds: confirm runs, refund is cancelled
      // end
      try (WorkerPool pool = queue.newWorkerPool(2).start()) {
        assertThat(refunded.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(queue.job(ids[0]).orElseThrow().state()).isEqualTo(JobState.FAILED);
      assertThat(queue.job(ids[2]).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }
  }

  @Test
  void a_job_enqueued_for_a_tenant_carries_it_and_its_unique_key_is_the_tenants_own() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("tenants.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      java.util.Map<String, String> sentFor = new java.util.concurrent.ConcurrentHashMap<>();
      CountDownLatch sent = new CountDownLatch(2);
      // snippet:tenants
      queue.register("send-invoice", ctx -> {
        EventStore tenantStore = store.forTenant(ctx.tenantId()); // act for the job's tenant only
        sentFor.put(ctx.tenantId(), ctx.payload());
        sent.countDown();
        return JobResult.success();
      });
      Job acme = store.inTransaction(tx -> queue.enqueue(tx.forTenant("acme"),
          JobRequest.of("send-invoice").withPayload("{\"invoice\": 1}").withUniqueKey("invoice-1")));
      Job globex = store.inTransaction(tx -> queue.enqueue(tx.forTenant("globex"),
          JobRequest.of("send-invoice").withPayload("{\"invoice\": 1}").withUniqueKey("invoice-1")));
      // two jobs: acme.tenantId() is "acme", globex.tenantId() is "globex"
      // end
      assertThat(globex.id()).isNotEqualTo(acme.id());
      assertThat(acme.tenantId()).isEqualTo("acme");
      try (WorkerPool pool = queue.newWorkerPool(1).start()) {
        assertThat(sent.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(sentFor).containsOnlyKeys("acme", "globex");
    }
  }

  @Test
  void a_failed_transaction_enqueues_nothing() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"),
        EventStoreConfig.DEFAULT.withEventTypes(EventTypes.builder().register(OrderPlaced.class).build()), TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      assertThatThrownBy(() -> store.inTransaction(tx -> {
        tx.append("order-9", ExpectedVersion.noStream(), List.of(EventData.of(new OrderPlaced(9))));
        queue.enqueue(tx, JobRequest.of("send-receipt").withPayloadOf(new Receipt(9)));
        throw new IllegalStateException("payment declined");
      })).hasMessageContaining("payment declined");

      assertThat(store.streamInfo("order-9")).isEmpty();
      assertThat(queue.list(JobQuery.ALL)).isEmpty();
    }
  }

  @Test
  void a_request_carries_priority_delay_queue_attempts_unique_key_and_parent() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withTime(TimeSource.of(clock)));
      long parentJobId = queue.enqueue(JobRequest.of("pack")).id();
      // snippet:request
      JobRequest request = JobRequest.of("send-receipt") // the type selects the handler
          .withPayload("{\"order\": 7}")                  // any JSON; checked at enqueue
          .withPriority(Priority.HIGH)                    // CRITICAL 100, HIGH 75, MEDIUM 50 (default), LOW 25, or Priority.of(n)
          .withDelay(Duration.ofMinutes(5))               // or .withRunAt(instant); default: now
          .withQueue("emails")                            // default "default"; queues can be paused and limited
          .withMaxAttempts(6)                             // default: the type's RetryPolicy
          .withUniqueKey("receipt-7")                     // see below
          .withParent(parentJobId);                       // see Dependencies
      // end
      Job job = queue.enqueue(request);

      assertThat(job.state()).isEqualTo(JobState.WAITING);
      assertThat(job.priority().value()).isEqualTo(75);
      assertThat(job.queue()).isEqualTo("emails");
      assertThat(job.maxAttempts()).isEqualTo(6);
      assertThat(job.parentId()).isEqualTo(parentJobId);
      assertThat(job.runAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
      assertThat(queue.enqueue(request).id()).as("the same unique key while waiting").isEqualTo(job.id());
      assertThat(queue.explain(job.id()).reasons().get(0)).contains("waiting for its parent job " + parentJobId);
      assertThat(JobRequest.of("x").priority()).isEqualTo(Priority.MEDIUM);
      assertThat(JobRequest.of("x").queue()).isEqualTo("default");
    }
  }

  @Test
  void a_failed_attempt_is_retried_after_the_types_backoff() throws Exception {
    assertThat(RetryPolicy.DEFAULT.maxAttempts()).isEqualTo(4);
    assertThat(List.of(RetryPolicy.DEFAULT.delayAfter(1), RetryPolicy.DEFAULT.delayAfter(2), RetryPolicy.DEFAULT.delayAfter(3)))
        .containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240));
    // snippet:retries
    // RetryPolicy.DEFAULT: 4 attempts, 60 s base, factor 2: retries after 60 s, 120 s, 240 s, then FAILED
    JobQueueConfig config = JobQueueConfig.DEFAULT
        .withRetryPolicy("call-partner-api", RetryPolicy.DEFAULT
            .withMaxAttempts(8)
            .withMaxDelay(Duration.ofMinutes(30))    // cap
            .withJitter(0.2));                       // the delay is drawn from [0.8 d, d]
    // end
    assertThat(config.retryPolicy("call-partner-api").delayAfter(7)).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.retryPolicy("send-receipt")).isEqualTo(RetryPolicy.DEFAULT);

    CountDownLatch called = new CountDownLatch(1);
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, config.withTime(TimeSource.of(Clock.fixed(NOW, ZoneOffset.UTC))));
      queue.register("call-partner-api", ctx -> {
        called.countDown();
        throw new IllegalStateException("partner down");
      });
      Job job = queue.enqueue(JobRequest.of("call-partner-api"));
      assertThat(job.maxAttempts()).as("the type's policy, stored at enqueue").isEqualTo(8);
      try (WorkerPool pool = queue.newWorkerPool(1).start()) {
        assertThat(called.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      }
      Job retried = queue.job(job.id()).orElseThrow();
      assertThat(retried.state()).isEqualTo(JobState.PENDING);
      assertThat(retried.attempt()).isEqualTo(1);
      assertThat(retried.lastError()).contains("partner down");
      assertThat(retried.runAt()).isBetween(NOW.plusSeconds(48), NOW.plusSeconds(60));
      assertThat(queue.history(job.id())).hasSize(1);
    }
  }

  @Test
  void a_controllable_clock_drives_retries_without_sleeping() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      // snippet:controllable-clock
      ControllableClock clock = ControllableClock.at(Instant.parse("2025-03-08T12:00:00Z"));
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT
          .withTime(TimeSource.of(clock))   // leases, due times, retries, schedules: the test's time
          .withClock(clock)                 // what handlers see as ctx.clock()
          .withRetryPolicy("call-partner-api", RetryPolicy.DEFAULT.withJitter(0)));
      queue.register("call-partner-api", ctx -> {
        throw new IllegalStateException("partner down");
      });
      long id = queue.enqueue(JobRequest.of("call-partner-api")).id();
      try (WorkerPool pool = queue.newWorkerPool(1).start()) {
        awaitRuns(queue, id, 1);
        for (Duration delay : List.of(Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(240))) {
          assertThat(queue.job(id).orElseThrow().runAt()).isEqualTo(clock.instant().plus(delay));
          clock.advance(delay);                             // the retry is due now: no sleeping
          awaitRuns(queue, id, queue.history(id).size() + 1);
        }
      }
      assertThat(queue.job(id).orElseThrow().state()).isEqualTo(JobState.FAILED); // 4 attempts used
      // end
      assertThat(queue.job(id).orElseThrow().attempt()).isEqualTo(4);
    }
  }

  /** Waits until job {@code id} has {@code n} history entries (attempts run and recorded). */
  private static void awaitRuns(JobQueue queue, long id, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (queue.history(id).size() < n || queue.job(id).orElseThrow().state() == JobState.RUNNING) {
      assertThat(System.nanoTime()).as("attempt %s of job %s recorded in time", n, id).isLessThan(deadline);
      Thread.sleep(5); // polling a condition, with a deadline
    }
  }

  @Test
  void schedules_run_in_their_zone_and_every_runs_at_multiples_of_its_interval() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withTime(TimeSource.of(Clock.fixed(NOW, ZoneOffset.UTC))));
      // snippet:schedules
      queue.schedule("nightly-report", Schedule.dailyAt(LocalTime.of(2, 30)).inZone("Europe/Berlin"),
          JobRequest.of("report").withPayload("{\"kind\":\"nightly\"}"));
      queue.schedule("poll-partner", Schedule.every(Duration.ofMinutes(15)), JobRequest.of("poll"));
      queue.schedule("weekly-digest", Schedule.weeklyAt(DayOfWeek.MONDAY, LocalTime.of(9, 0)).inZone("Europe/Berlin"),
          JobRequest.of("digest"));
      queue.schedule("workdays", Schedule.cron("0 6 * * 1-5").inZone("America/New_York"), JobRequest.of("warm-up"));
      queue.schedule("launch", Schedule.once(Instant.parse("2026-01-01T00:00:00Z")), JobRequest.of("launch"));
      // end
      Map<String, Instant> next = queue.schedules().stream()
          .collect(Collectors.toMap(ScheduleInfo::name, ScheduleInfo::nextRunAt));
      assertThat(next).containsExactlyInAnyOrderEntriesOf(Map.of(
          "nightly-report", Instant.parse("2025-03-09T01:30:00Z"),  // 02:30 CET
          "poll-partner", Instant.parse("2025-03-08T12:15:00Z"),    // the next multiple of 15 minutes
          "weekly-digest", Instant.parse("2025-03-10T08:00:00Z"),   // Monday 09:00 CET
          "workdays", Instant.parse("2025-03-10T10:00:00Z"),        // Monday 06:00 EDT: New York moved on Sunday
          "launch", Instant.parse("2026-01-01T00:00:00Z")));

      ScheduleInfo again = queue.schedule("poll-partner", Schedule.every(Duration.ofMinutes(15)), JobRequest.of("poll"));
      assertThat(again.nextRunAt()).as("defining it exactly as stored changes nothing").isEqualTo(next.get("poll-partner"));
      assertThat(queue.unschedule("launch")).isTrue();
      assertThat(queue.schedules()).hasSize(4);
    }
  }

  @Test
  void controls_are_stored_in_the_database() {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      queue.pauseQueue("emails");
      queue.setConcurrencyLimit(ConcurrencyLimit.overall(5));
      queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("render-pdf", 2));

      JobQueue otherProcess = JobQueue.open(store, JobQueueConfig.DEFAULT);
      assertThat(otherProcess.stats().limits()).hasSize(2);
      Job email = otherProcess.enqueue(JobRequest.of("send-receipt").withQueue("emails"));
      assertThat(otherProcess.explain(email.id()).reasons()).anySatisfy(r -> assertThat(r).contains("paused"));
    }
  }
}

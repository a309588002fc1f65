package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.ChildJvm;
import dev.fabula.testkit.ControllableClock;
import java.io.File;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The job queue's behaviour, the same on every backend. A subclass supplies the database: {@link
 * #url()} and {@link #tablePrefix()}, fresh for each test.
 */
abstract class JobQueueContract {
  static final Instant T0 = Instant.parse("2025-01-06T10:00:00Z"); // a Monday
  static final Duration WAIT = Duration.ofSeconds(20);

  /** The JDBC URL of this test's database, with credentials. */
  protected abstract String url();

  /** The table prefix of this test. */
  protected abstract String tablePrefix();

  protected ControllableClock clock;
  protected JdbcEventStore store;
  protected JobQueue queue;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void open() {
    clock = ControllableClock.at(T0);
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
    if (store != null) {
      store.close();
    }
  }

  /** A store on this test's database, closed after the test. */
  JdbcEventStore openStore() {
    JdbcEventStore s = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix()));
    if (store != null) {
      toClose.add(s);
    }
    return s;
  }

  /** Test settings: the test clock, fast polling, leases long enough not to expire while the clock moves. */
  JobQueueConfig config() {
    return config(clock);
  }

  /** {@link #config()} with {@code clock}: for tests outside the contract. */
  static JobQueueConfig config(ControllableClock clock) {
    return JobQueueConfig.DEFAULT
        .withClock(clock)
        .withTime(TimeSource.of(clock))
        .withPollInterval(Duration.ofMillis(20))
        .withMaintenanceInterval(Duration.ofMillis(50))
        .withLease(Duration.ofHours(6), Duration.ofSeconds(5))
        .withShutdownTimeout(Duration.ofSeconds(5));
  }

  /** A second "process": another store and queue on the same database. */
  JobQueue secondQueue(JobQueueConfig config) {
    return JobQueue.open(openStore(), config);
  }

  WorkerPool started(WorkerPool pool) {
    toClose.add(pool);
    return pool.start();
  }

  Job job(long id) {
    return queue.job(id).orElseThrow();
  }

  Job awaitState(long id, JobState state) {
    return Await.value("job " + id + " is " + state, WAIT, () -> job(id), j -> j.state() == state);
  }

  static JobHandler succeed(CountDownLatch done) {
    return ctx -> {
      done.countDown();
      return JobResult.success();
    };
  }

  // ---- enqueue and run ------------------------------------------------------------------------

  @Test
  void runs_jobs_highest_priority_first_then_earliest_run_at() throws Exception {
    long low = queue.enqueue(JobRequest.of("work").withPriority(Priority.LOW)).id();
    long mediumLate = queue.enqueue(JobRequest.of("work").withRunAt(T0.minusSeconds(10))).id();
    long critical = queue.enqueue(JobRequest.of("work").withPriority(Priority.CRITICAL)).id();
    long mediumEarly = queue.enqueue(JobRequest.of("work").withRunAt(T0.minusSeconds(20))).id();
    long high = queue.enqueue(JobRequest.of("work").withPriority(Priority.HIGH)).id();
    long custom = queue.enqueue(JobRequest.of("work").withPriority(Priority.of(90))).id();
    List<Long> order = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(6);
    queue.register("work", ctx -> {
      order.add(ctx.jobId());
      done.countDown();
      return JobResult.success();
    });

    started(queue.newWorkerPool(1));

    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(order).containsExactly(critical, custom, high, mediumEarly, mediumLate, low);
  }

  @Test
  void a_job_succeeds_once_and_its_attempt_is_recorded_in_the_history() throws Exception {
    queue.register("hello", ctx -> JobResult.success("{\"greeting\":\"hi " + ctx.payload(Map.class).get("name") + "\"}"));
    started(queue.newWorkerPool(2));

    long id = queue.enqueue(JobRequest.of("hello").withPayload("{\"name\":\"Ada\"}")).id();

    Job done = awaitState(id, JobState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(done.output()).contains("hi Ada");
    assertThat(done.finishedAt()).isEqualTo(T0);
    List<JobRun> history = queue.history(id);
    assertThat(history).singleElement().satisfies(run -> {
      assertThat(run.outcome()).isEqualTo(JobRun.Outcome.SUCCEEDED);
      assertThat(run.trigger()).isEqualTo(Trigger.MANUAL);
      assertThat(run.attempt()).isEqualTo(1);
      assertThat(run.output()).contains("hi Ada");
      assertThat(run.worker()).isNotBlank();
    });
  }

  @Test
  void retries_a_failing_job_after_60_120_and_240_seconds_then_fails_it_with_its_error_history() {
    AtomicInteger calls = new AtomicInteger();
    queue.register("flaky", ctx -> {
      throw new IllegalStateException("boom " + calls.incrementAndGet());
    });
    started(queue.newWorkerPool(1));
    long id = queue.enqueue(JobRequest.of("flaky")).id();

    Instant expected = T0;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int a = attempt;
      Job j = Await.value("attempt " + a + " failed", WAIT, () -> job(id), x -> x.attempt() == a && x.state() == JobState.PENDING);
      Duration delay = Duration.ofSeconds(60L << (attempt - 1));
      assertThat(j.runAt()).as("retry after attempt %d", attempt).isEqualTo(expected.plus(delay));
      assertThat(j.trigger()).isEqualTo(Trigger.RETRY);
      assertThat(j.lastError()).contains("boom " + attempt);
      clock.advance(delay.minusSeconds(1));
      assertThat(queue.explain(id).reasons().get(0)).startsWith("it is not due yet");
      clock.advance(Duration.ofSeconds(1));
      expected = expected.plus(delay);
    }
    Job failed = awaitState(id, JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(4);
    assertThat(failed.lastError()).contains("no attempts left").contains("boom 4");
    assertThat(calls).hasValue(4);
    List<JobRun> history = queue.history(id);
    assertThat(history).extracting(JobRun::outcome).containsOnly(JobRun.Outcome.FAILED).hasSize(4);
    assertThat(history).extracting(JobRun::trigger).containsExactly(Trigger.MANUAL, Trigger.RETRY, Trigger.RETRY, Trigger.RETRY);
    assertThat(history).extracting(JobRun::startedAt)
        .containsExactly(T0, T0.plusSeconds(60), T0.plusSeconds(180), T0.plusSeconds(420));
    assertThat(history.get(0).error()).contains("IllegalStateException: boom 1");
  }

  @Test
  void a_retry_policy_per_job_type_sets_attempts_cap_and_jitter() {
    JobQueue custom = secondQueue(config().withRetryPolicy("capped",
        RetryPolicy.DEFAULT.withMaxAttempts(3).withBaseDelay(Duration.ofSeconds(10)).withMaxDelay(Duration.ofSeconds(15))));
    custom.register("capped", ctx -> {
      throw new RuntimeException("no");
    });
    started(custom.newWorkerPool(1));
    long id = custom.enqueue(JobRequest.of("capped")).id();

    Job first = Await.value("first failure", WAIT, () -> job(id), j -> j.attempt() == 1 && j.state() == JobState.PENDING);
    assertThat(first.maxAttempts()).isEqualTo(3);
    assertThat(first.runAt()).isEqualTo(T0.plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    Job second = Await.value("second failure", WAIT, () -> job(id), j -> j.attempt() == 2 && j.state() == JobState.PENDING);
    assertThat(second.runAt()).isEqualTo(T0.plusSeconds(10 + 15));
    clock.advance(Duration.ofSeconds(15));
    assertThat(awaitState(id, JobState.FAILED).attempt()).isEqualTo(3);
    assertThat(RetryPolicy.DEFAULT.withJitter(0.5).jitteredDelayAfter(1)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
  }

  @Test
  void a_handler_can_fail_a_job_without_retry_or_snooze_it_without_using_an_attempt() {
    queue.register("give-up", ctx -> {
      throw JobResult.failWithoutRetry("customer 9 does not exist").toException();
    });
    AtomicInteger snoozes = new AtomicInteger();
    queue.register("later", ctx -> snoozes.incrementAndGet() == 1 ? JobResult.snooze(Duration.ofMinutes(5)) : JobResult.success());
    started(queue.newWorkerPool(2));

    long giveUp = queue.enqueue(JobRequest.of("give-up")).id();
    long later = queue.enqueue(JobRequest.of("later")).id();

    Job failed = awaitState(giveUp, JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.lastError()).isEqualTo("customer 9 does not exist");
    Job snoozed = Await.value("snoozed", WAIT, () -> job(later), j -> j.state() == JobState.PENDING && snoozes.get() == 1
        && j.runAt().isAfter(T0));
    assertThat(snoozed.runAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(snoozed.attempt()).isZero();
    clock.advance(Duration.ofMinutes(5));
    Job done = awaitState(later, JobState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(queue.history(later)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SNOOZED, JobRun.Outcome.SUCCEEDED);
  }

  @Test
  void a_second_enqueue_with_the_same_unique_key_returns_the_unfinished_job() throws Exception {
    Job first = queue.enqueue(JobRequest.of("report").withUniqueKey("daily-2025-01-06"));
    Job second = queue.enqueue(JobRequest.of("report").withUniqueKey("daily-2025-01-06").withPriority(Priority.HIGH));
    Job otherType = queue.enqueue(JobRequest.of("export").withUniqueKey("daily-2025-01-06"));

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.priority()).isEqualTo(Priority.MEDIUM);
    assertThat(otherType.id()).isNotEqualTo(first.id());
    assertThat(queue.list(JobQuery.ALL.withType("report"))).hasSize(1);

    CountDownLatch done = new CountDownLatch(2);
    queue.register("report", succeed(done)).register("export", succeed(done));
    started(queue.newWorkerPool(1));
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    awaitState(first.id(), JobState.SUCCEEDED);

    Job afterFinish = queue.enqueue(JobRequest.of("report").withUniqueKey("daily-2025-01-06"));
    assertThat(afterFinish.id()).isNotEqualTo(first.id());
  }

  @Test
  void a_job_enqueued_in_the_callers_transaction_commits_with_the_events_or_not_at_all() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    queue.register("receipt", succeed(done));
    started(queue.newWorkerPool(1));

    assertThatThrownBy(() -> store.inTransaction(tx -> {
      tx.append("order-1", ExpectedVersion.noStream(), List.of(EventData.json("OrderPlaced", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("order", 1))));
      queue.enqueue(tx, JobRequest.of("receipt").withPayload("{\"order\":1}"));
      throw new IllegalStateException("payment declined");
    })).hasMessage("payment declined");

    assertThat(queue.list(JobQuery.ALL)).isEmpty();
    assertThat(store.streamInfo("order-1")).isEmpty();

    Job job = store.inTransaction(tx -> {
      tx.append("order-2", ExpectedVersion.noStream(), List.of(EventData.json("OrderPlaced", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("order", 2))));
      return queue.enqueue(tx, JobRequest.of("receipt").withPayload("{\"order\":2}"));
    });
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    awaitState(job.id(), JobState.SUCCEEDED);
    assertThat(store.readStream("order-2")).hasSize(1);
    assertThat(done.getCount()).isZero();
  }

  @Test
  void lists_cancels_and_reschedules_jobs() {
    long a = queue.enqueue(JobRequest.of("a").withDelay(Duration.ofMinutes(10))).id();
    long b = queue.enqueue(JobRequest.of("b")).id();
    long c = queue.enqueue(JobRequest.of("a").withQueue("emails")).id();

    assertThat(queue.list(JobQuery.ALL.withType("a"))).extracting(Job::id).containsExactly(a, c);
    assertThat(queue.list(JobQuery.ALL.withQueue("emails"))).extracting(Job::id).containsExactly(c);
    assertThat(queue.list(JobQuery.ALL.withState(JobState.PENDING).withLimit(2))).extracting(Job::id).containsExactly(a, b);
    assertThat(queue.list(JobQuery.ALL.withAfterId(b))).extracting(Job::id).containsExactly(c);

    assertThat(queue.reschedule(a, T0.plusSeconds(5))).isTrue();
    assertThat(job(a).runAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(queue.cancel(b)).isTrue();
    assertThat(queue.cancel(b)).isFalse();
    assertThat(queue.reschedule(b, T0)).isFalse();
    assertThat(job(b).state()).isEqualTo(JobState.CANCELLED);
    assertThat(queue.cancel(999_999)).isFalse();
    assertThat(queue.job(999_999)).isEmpty();
  }

  // ---- bad input ------------------------------------------------------------------------------

  @Test
  void rejects_bad_input_with_a_clear_error_and_stores_nothing() {
    assertThatThrownBy(() -> JobRequest.of("x").withPayload("{not json")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not JSON");
    assertThatThrownBy(() -> JobRequest.of("x").withPayload("{} trailing")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JobRequest.of("x").withDelay(Duration.ofSeconds(-1))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> JobRequest.of("x").withMaxAttempts(0)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("1 or more but was 0");
    assertThatThrownBy(() -> JobRequest.of("x").withMaxAttempts(-3)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JobRequest.of(" ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Schedule.cron("61 * * * *")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not a valid cron expression");
    assertThatThrownBy(() -> Schedule.cron("every day")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Schedule.dailyAt(LocalTime.NOON).inZone("Mars/Olympus_Mons")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is not a time zone");
    assertThatThrownBy(() -> Priority.of(5_000_000)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> RetryPolicy.DEFAULT.withMaxAttempts(0)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> queue.enqueue(JobRequest.of("child").withParent(424242))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("parent job 424242").hasMessageContaining("does not exist");
    assertThatThrownBy(() -> queue.schedule("s", Schedule.every(Duration.ofMinutes(1)), JobRequest.of("x").withDelay(Duration.ofSeconds(1))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> JobQueueConfig.DEFAULT.withLease(Duration.ofSeconds(10), Duration.ofSeconds(10)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be shorter");
    assertThat(queue.list(JobQuery.ALL)).isEmpty();
    assertThat(queue.schedules()).isEmpty();
  }

  @Test
  void a_job_of_an_unknown_type_stays_pending_by_default_and_is_explained() {
    CountDownLatch done = new CountDownLatch(1);
    queue.register("known", succeed(done));
    WorkerPool pool = started(queue.newWorkerPool(1));
    long unknown = queue.enqueue(JobRequest.of("nobody-handles-this")).id();
    long known = queue.enqueue(JobRequest.of("known")).id();

    awaitState(known, JobState.SUCCEEDED);
    assertThat(job(unknown).state()).isEqualTo(JobState.PENDING);
    Await.until("the pool's heartbeat is visible", WAIT, () -> !queue.stats().liveWorkers().isEmpty());
    assertThat(queue.explain(unknown).reasons())
        .anySatisfy(r -> assertThat(r).contains("no handler registered for job type 'nobody-handles-this'").contains(pool.workerId()));
  }

  @Test
  void a_job_of_an_unknown_type_fails_with_a_clear_error_when_configured_so() {
    JobQueue failing = secondQueue(config().withUnknownJobTypes(JobQueueConfig.UnknownJobTypes.FAIL));
    failing.register("known", ctx -> JobResult.success());
    started(failing.newWorkerPool(1));

    long id = failing.enqueue(JobRequest.of("typo-type")).id();

    Job failed = awaitState(id, JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.lastError()).contains("no handler for job type 'typo-type'").contains("register one");
  }

  // ---- dependencies ---------------------------------------------------------------------------

  @Test
  void a_dependent_job_waits_for_its_parent_and_runs_with_trigger_dependent() throws Exception {
    CountDownLatch releaseParent = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    queue.register("parent", ctx -> {
      releaseParent.await(20, TimeUnit.SECONDS);
      order.add("parent");
      return JobResult.success();
    });
    queue.register("child", ctx -> {
      order.add("child:" + ctx.trigger() + ":" + ctx.parentId().orElseThrow());
      return JobResult.success();
    });
    long parent = queue.enqueue(JobRequest.of("parent")).id();
    long child = queue.enqueue(JobRequest.of("child").withParent(parent)).id();
    assertThat(job(child).state()).isEqualTo(JobState.WAITING);
    assertThat(queue.explain(child).reasons().get(0)).contains("waiting for its parent job " + parent);

    started(queue.newWorkerPool(2));
    awaitState(parent, JobState.RUNNING);
    assertThat(job(child).state()).isEqualTo(JobState.WAITING);
    releaseParent.countDown();

    awaitState(child, JobState.SUCCEEDED);
    assertThat(order).containsExactly("parent", "child:DEPENDENT:" + parent);
    assertThat(queue.history(child)).singleElement().satisfies(run -> {
      assertThat(run.trigger()).isEqualTo(Trigger.DEPENDENT);
      assertThat(run.parentId()).isEqualTo(parent);
    });
    long late = queue.enqueue(JobRequest.of("child").withParent(parent)).id();
    assertThat(job(late).state()).isIn(JobState.PENDING, JobState.RUNNING, JobState.SUCCEEDED);
    awaitState(late, JobState.SUCCEEDED);
  }

  @Test
  void dependents_of_a_failed_parent_fail_and_so_do_theirs() {
    queue.register("parent", ctx -> JobResult.failWithoutRetry("broken"));
    long parent = queue.enqueue(JobRequest.of("parent")).id();
    long child = queue.enqueue(JobRequest.of("child").withParent(parent)).id();
    long grandchild = queue.enqueue(JobRequest.of("child").withParent(child)).id();
    started(queue.newWorkerPool(1));

    awaitState(grandchild, JobState.FAILED);
    assertThat(job(parent).state()).isEqualTo(JobState.FAILED);
    assertThat(job(child).lastError()).isEqualTo("parent job " + parent + " failed");
    assertThat(job(grandchild).lastError()).isEqualTo("parent job " + child + " did not succeed");
    assertThatThrownBy(() -> queue.enqueue(JobRequest.of("child").withParent(parent)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("has failed");
  }

  @Test
  void a_failed_job_retried_by_hand_runs_again_with_fresh_attempts_and_keeps_its_history() {
    AtomicBoolean fixed = new AtomicBoolean();
    queue.register("flaky", ctx -> fixed.get() ? JobResult.success() : JobResult.failWithoutRetry("bug 17"));
    queue.register("child", ctx -> JobResult.success());
    long id = queue.enqueue(JobRequest.of("flaky").withUniqueKey("only-one")).id();
    long child = queue.enqueue(JobRequest.of("child").withParent(id)).id();
    started(queue.newWorkerPool(1));
    awaitState(child, JobState.FAILED);
    assertThat(queue.retry(child)).as("its parent has not succeeded").isFalse();
    long rival = queue.enqueue(JobRequest.of("flaky").withUniqueKey("only-one").withRunAt(T0.plusSeconds(3600))).id();
    assertThat(queue.retry(id)).as("another job holds the unique key").isFalse();
    assertThat(queue.cancel(rival)).isTrue();

    fixed.set(true);
    assertThat(queue.retry(id)).isTrue();

    Job done = awaitState(id, JobState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(1);
    assertThat(queue.history(id)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.FAILED, JobRun.Outcome.SUCCEEDED);
    assertThat(queue.retry(id)).as("succeeded jobs are not retried").isFalse();
    assertThat(queue.retry(999_999)).isFalse();
    assertThat(queue.retry(child)).isTrue();
    awaitState(child, JobState.SUCCEEDED);
  }

  @Test
  void a_compensation_runs_only_when_its_parent_fails_for_good_and_is_cancelled_when_it_succeeds() {
    queue.register("capture-payment", ctx -> ctx.payload(Map.class).get("card").equals("declined")
        ? JobResult.failWithoutRetry("card declined") : JobResult.success());
    queue.register("refund", ctx -> JobResult.success("{\"refunded\":" + ctx.payload(Map.class).get("booking") + "}"));
    queue.register("confirm", ctx -> JobResult.success());
    long[] ok = store.inTransaction(tx -> {
      long step = queue.enqueue(tx, JobRequest.of("capture-payment").withPayload("{\"card\":\"valid\"}")).id();
      long undo = queue.enqueue(tx, JobRequest.of("refund").withPayload("{\"booking\":1}").afterFailureOf(step)).id();
      long next = queue.enqueue(tx, JobRequest.of("confirm").withParent(step)).id();
      return new long[] {step, undo, next};
    });
    long[] declined = store.inTransaction(tx -> {
      long step = queue.enqueue(tx, JobRequest.of("capture-payment").withPayload("{\"card\":\"declined\"}")).id();
      long undo = queue.enqueue(tx, JobRequest.of("refund").withPayload("{\"booking\":2}").afterFailureOf(step)).id();
      long next = queue.enqueue(tx, JobRequest.of("confirm").withParent(step)).id();
      return new long[] {step, undo, next};
    });
    assertThat(job(ok[1]).state()).isEqualTo(JobState.WAITING);
    started(queue.newWorkerPool(2));

    awaitState(ok[2], JobState.SUCCEEDED);
    Job cancelled = awaitState(ok[1], JobState.CANCELLED);
    assertThat(cancelled.lastError()).isEqualTo("parent job " + ok[0] + " succeeded: nothing to compensate");
    assertThat(queue.history(ok[1])).isEmpty();

    awaitState(declined[0], JobState.FAILED);
    assertThat(awaitState(declined[1], JobState.SUCCEEDED).output()).matches("\\{\"refunded\": ?2}");
    assertThat(awaitState(declined[2], JobState.FAILED).lastError()).isEqualTo("parent job " + declined[0] + " failed");

    assertThatThrownBy(() -> queue.enqueue(JobRequest.of("refund").afterFailureOf(ok[0])))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("has succeeded");
    long late = queue.enqueue(JobRequest.of("refund").withPayload("{\"booking\":3}").afterFailureOf(declined[0])).id();
    awaitState(late, JobState.SUCCEEDED);
  }

  @Test
  void a_compensation_runs_when_its_parent_is_cancelled_or_runs_out_of_attempts() {
    queue.register("flaky", ctx -> {
      throw new IllegalStateException("down");
    });
    queue.register("undo", ctx -> JobResult.success());
    long parked = queue.enqueue(JobRequest.of("flaky").withRunAt(T0.plusSeconds(3600))).id();
    long undoParked = queue.enqueue(JobRequest.of("undo").afterFailureOf(parked)).id();
    long exhausted = queue.enqueue(JobRequest.of("flaky").withMaxAttempts(2)).id();
    long undoExhausted = queue.enqueue(JobRequest.of("undo").afterFailureOf(exhausted)).id();
    started(queue.newWorkerPool(2));

    assertThat(queue.cancel(parked)).isTrue();
    awaitState(undoParked, JobState.SUCCEEDED);
    Await.value("the first attempt failed", WAIT, () -> job(exhausted), j -> j.attempt() == 1 && j.state() == JobState.PENDING);
    clock.advance(Duration.ofMinutes(5));
    awaitState(exhausted, JobState.FAILED);
    awaitState(undoExhausted, JobState.SUCCEEDED);
    assertThat(queue.history(undoExhausted)).singleElement().extracting(JobRun::trigger).isEqualTo(Trigger.DEPENDENT);
  }

  // ---- schedules ------------------------------------------------------------------------------

  /** Starts a pool running "tick" jobs, recording each occurrence it ran for. */
  List<Instant> runTicks() {
    List<Instant> ran = new CopyOnWriteArrayList<>();
    queue.register("tick", ctx -> {
      ran.add(ctx.scheduledFor().orElseThrow());
      return JobResult.success();
    });
    started(queue.newWorkerPool(2));
    return ran;
  }

  void awaitRuns(List<Instant> ran, int n) {
    Await.value(n + " runs", WAIT, () -> List.copyOf(ran), r -> r.size() >= n
        && queue.list(JobQuery.ALL.withType("tick").withState(JobState.PENDING)).isEmpty()
        && queue.list(JobQuery.ALL.withType("tick").withState(JobState.RUNNING)).isEmpty());
  }

  @Test
  void an_every_schedule_runs_at_multiples_of_its_interval_and_never_twice_per_instant() {
    List<Instant> ran = runTicks();
    JobQueue other = secondQueue(config());
    other.register("tick", ctx -> {
      ran.add(ctx.scheduledFor().orElseThrow());
      return JobResult.success();
    });
    started(other.newWorkerPool(2));
    ScheduleInfo info = queue.schedule("tick-15m", Schedule.every(Duration.ofMinutes(15)), JobRequest.of("tick"));
    assertThat(info.nextRunAt()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(other.schedule("tick-15m", Schedule.every(Duration.ofMinutes(15)), JobRequest.of("tick")).nextRunAt())
        .as("defining it again changes nothing").isEqualTo(info.nextRunAt());

    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofMinutes(15));
      awaitRuns(ran, i);
    }
    assertThat(ran).containsExactly(T0.plusSeconds(900), T0.plusSeconds(1800), T0.plusSeconds(2700));
    assertThat(queue.scheduleHistory("tick-15m")).extracting(JobRun::trigger).containsOnly(Trigger.SCHEDULED);
  }

  @Test
  void daily_weekly_cron_and_once_schedules_run_at_their_instants() {
    List<Instant> ran = runTicks();
    queue.schedule("daily", Schedule.dailyAt(LocalTime.of(12, 0)), JobRequest.of("tick"));
    queue.schedule("weekly", Schedule.weeklyAt(DayOfWeek.WEDNESDAY, LocalTime.of(9, 30)).inZone("Europe/Berlin"), JobRequest.of("tick"));
    queue.schedule("cron", Schedule.cron("0 11 * * *").inZone("Europe/Berlin"), JobRequest.of("tick"));
    queue.schedule("once", Schedule.once(T0.plus(Duration.ofHours(30))), JobRequest.of("tick"));

    clock.set(Instant.parse("2025-01-06T12:00:00Z"));
    awaitRuns(ran, 1);
    clock.set(Instant.parse("2025-01-07T10:00:00Z")); // 11:00 in Berlin
    awaitRuns(ran, 2);
    clock.set(Instant.parse("2025-01-07T16:00:00Z")); // the once, and the daily of 12:00 (run once, late)
    awaitRuns(ran, 4);
    clock.set(Instant.parse("2025-01-08T08:30:00Z")); // Wednesday 09:30 in Berlin
    awaitRuns(ran, 5);
    assertThat(ran.subList(0, 2)).containsExactly(Instant.parse("2025-01-06T12:00:00Z"), Instant.parse("2025-01-07T10:00:00Z"));
    assertThat(ran.subList(2, 4)).containsExactlyInAnyOrder(Instant.parse("2025-01-07T12:00:00Z"), Instant.parse("2025-01-07T16:00:00Z"));
    assertThat(ran.get(4)).isEqualTo(Instant.parse("2025-01-08T08:30:00Z"));
    assertThat(queue.schedules()).filteredOn(s -> s.name().equals("once")).singleElement()
        .satisfies(s -> assertThat(s.nextRunAt()).isNull());
  }

  @Test
  void a_daily_run_at_a_time_skipped_by_spring_forward_runs_at_the_next_valid_instant_or_is_skipped() {
    List<Instant> ran = runTicks();
    // New York, 2025-03-09: clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist.
    clock.set(Instant.parse("2025-03-08T12:00:00Z"));
    queue.schedule("shift", Schedule.dailyAt(LocalTime.of(2, 30)).inZone("America/New_York"), JobRequest.of("tick"));
    queue.schedule("skip", Schedule.dailyAt(LocalTime.of(2, 30)).inZone("America/New_York").withDstPolicy(DstPolicy.SKIP),
        JobRequest.of("tick").withPayload("{\"skip\":true}"));

    clock.set(Instant.parse("2025-03-09T07:00:00Z")); // 03:00 EDT, the first valid instant after the gap
    awaitRuns(ran, 1);
    assertThat(ran).containsExactly(Instant.parse("2025-03-09T07:00:00Z"));
    assertThat(queue.schedules()).filteredOn(s -> s.name().equals("skip")).singleElement()
        .satisfies(s -> assertThat(s.nextRunAt()).isEqualTo(Instant.parse("2025-03-10T06:30:00Z")));
    clock.set(Instant.parse("2025-03-10T06:30:00Z"));
    awaitRuns(ran, 3);
    assertThat(ran).containsExactlyInAnyOrder(Instant.parse("2025-03-09T07:00:00Z"),
        Instant.parse("2025-03-10T06:30:00Z"), Instant.parse("2025-03-10T06:30:00Z"));
  }

  @Test
  void a_daily_run_at_a_time_repeated_by_fall_back_runs_once_at_the_first_instant() {
    List<Instant> ran = runTicks();
    // New York, 2025-11-02: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    clock.set(Instant.parse("2025-11-01T12:00:00Z"));
    queue.schedule("fall", Schedule.dailyAt(LocalTime.of(1, 30)).inZone("America/New_York"), JobRequest.of("tick"));

    clock.set(Instant.parse("2025-11-02T05:30:00Z"));
    awaitRuns(ran, 1);
    clock.set(Instant.parse("2025-11-02T06:30:00Z"));
    assertThat(queue.schedules().get(0).nextRunAt()).isEqualTo(Instant.parse("2025-11-03T06:30:00Z"));
    clock.set(Instant.parse("2025-11-03T06:30:00Z"));
    awaitRuns(ran, 2);
    assertThat(ran).containsExactly(Instant.parse("2025-11-02T05:30:00Z"), Instant.parse("2025-11-03T06:30:00Z"));
  }

  @Test
  void after_downtime_run_once_runs_the_latest_occurrence_and_records_the_others_as_missed() {
    queue.schedule("hourly", Schedule.every(Duration.ofHours(1)), JobRequest.of("tick"));
    clock.advance(Duration.ofHours(5)); // down for five occurrences: 11:00 … 15:00
    List<Instant> ran = runTicks();

    awaitRuns(ran, 1);
    assertThat(ran).containsExactly(T0.plus(Duration.ofHours(5)));
    List<JobRun> history = Await.value("history", WAIT, () -> queue.scheduleHistory("hourly"), h -> h.size() == 5);
    assertThat(history).filteredOn(r -> r.outcome() == JobRun.Outcome.MISSED).extracting(JobRun::scheduledFor)
        .containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)), T0.plus(Duration.ofHours(4)));
    assertThat(queue.schedules().get(0).nextRunAt()).isEqualTo(T0.plus(Duration.ofHours(6)));
  }

  @Test
  void after_downtime_catch_up_runs_the_newest_missed_occurrences_up_to_its_cap_one_at_a_time() {
    queue.schedule("hourly", Schedule.every(Duration.ofHours(1)).withMissedRuns(MissedRunPolicy.catchUp(3)), JobRequest.of("tick"));
    clock.advance(Duration.ofHours(5));
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    List<Instant> ran = new CopyOnWriteArrayList<>();
    queue.register("tick", ctx -> {
      maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
      ran.add(ctx.scheduledFor().orElseThrow());
      concurrent.decrementAndGet();
      return JobResult.success();
    });
    started(queue.newWorkerPool(4));

    awaitRuns(ran, 3);
    assertThat(ran).containsExactly(T0.plus(Duration.ofHours(3)), T0.plus(Duration.ofHours(4)), T0.plus(Duration.ofHours(5)));
    assertThat(maxConcurrent).hasValue(1);
    assertThat(queue.scheduleHistory("hourly")).filteredOn(r -> r.outcome() == JobRun.Outcome.MISSED).extracting(JobRun::scheduledFor)
        .containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
  }

  @Test
  void a_paused_schedule_makes_no_jobs_until_resumed_then_treats_what_it_slept_through_as_missed() {
    queue.schedule("hourly", Schedule.every(Duration.ofHours(1)), JobRequest.of("tick"));
    queue.schedule("witness", Schedule.every(Duration.ofHours(1)), JobRequest.of("tick").withPayload("{\"w\":1}"));
    assertThat(queue.pauseSchedule("hourly")).isTrue();
    assertThat(queue.pauseSchedule("no-such-schedule")).isFalse();
    assertThat(queue.schedule("hourly", Schedule.every(Duration.ofHours(1)), JobRequest.of("tick")).paused())
        .as("defining it again keeps it paused").isTrue();
    assertThat(queue.schedules()).extracting(ScheduleInfo::name, ScheduleInfo::paused)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("hourly", true), org.assertj.core.groups.Tuple.tuple("witness", false));
    List<Instant> ran = runTicks();

    clock.advance(Duration.ofHours(3));
    awaitRuns(ran, 1); // the witness, due at the same instants, ran: the paused one was passed over
    assertThat(queue.scheduleHistory("hourly")).isEmpty();
    assertThat(queue.list(JobQuery.ALL.withType("tick"))).extracting(Job::scheduleName).containsOnly("witness");
    assertThat(queue.schedules().get(0).nextRunAt()).as("its next occurrence waits").isEqualTo(T0.plus(Duration.ofHours(1)));

    assertThat(queue.resumeSchedule("hourly")).isTrue();
    awaitRuns(ran, 2);
    assertThat(queue.schedules().get(0).paused()).isFalse();
    assertThat(queue.scheduleHistory("hourly")).filteredOn(r -> r.outcome() == JobRun.Outcome.MISSED).extracting(JobRun::scheduledFor)
        .containsExactly(T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)));
    assertThat(queue.schedules().get(0).nextRunAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
  }

  @Test
  void after_downtime_skip_and_the_lateness_limit_run_nothing_late() {
    queue.schedule("skip", Schedule.every(Duration.ofHours(1)).withMissedRuns(MissedRunPolicy.skip()), JobRequest.of("tick"));
    queue.schedule("limited", Schedule.every(Duration.ofHours(1)).withLatenessLimit(Duration.ofMinutes(10)),
        JobRequest.of("tick").withPayload("{\"l\":1}"));
    clock.advance(Duration.ofHours(2).plusMinutes(30));
    List<Instant> ran = runTicks();

    Await.until("both schedules moved on", WAIT, () -> queue.schedules().stream()
        .allMatch(s -> T0.plus(Duration.ofHours(3)).equals(s.nextRunAt())));
    assertThat(ran).isEmpty();
    assertThat(queue.scheduleHistory("skip")).extracting(JobRun::outcome).containsOnly(JobRun.Outcome.MISSED).hasSize(2);
    assertThat(queue.scheduleHistory("limited")).extracting(JobRun::error).last().asString().contains("lateness limit");
    clock.set(T0.plus(Duration.ofHours(3)));
    awaitRuns(ran, 2);
    assertThat(ran).containsOnly(T0.plus(Duration.ofHours(3)));
  }

  // ---- controls -------------------------------------------------------------------------------

  @Test
  void the_kill_switch_stops_every_worker_pool_and_schedule_until_resumed() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Map<Long, AtomicInteger> perJob = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(10);
    JobHandler handler = ctx -> {
      runs.incrementAndGet();
      perJob.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
      done.countDown();
      return JobResult.success();
    };
    queue.register("work", handler);
    JobQueue other = secondQueue(config());
    other.register("work", handler);
    started(queue.newWorkerPool(2));
    started(other.newWorkerPool(2));

    queue.pauseAll();
    queue.schedule("minutely", Schedule.every(Duration.ofMinutes(1)), JobRequest.of("work"));
    List<Long> ids = IntStream.range(0, 10).mapToObj(i -> other.enqueue(JobRequest.of("work")).id()).toList();
    clock.advance(Duration.ofMinutes(1));

    assertThat(done.await(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(runs).hasValue(0);
    assertThat(other.stats().killSwitchOn()).isTrue();
    assertThat(other.explain(ids.get(0)).reasons()).anySatisfy(r -> assertThat(r).contains("kill switch is on"));
    assertThat(queue.list(JobQuery.ALL.withState(JobState.PENDING))).hasSize(10);

    other.resumeAll();
    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    ids.forEach(id -> awaitState(id, JobState.SUCCEEDED));
    assertThat(perJob).containsKeys(ids.toArray(Long[]::new));
    assertThat(perJob.values()).as("each job ran once").allSatisfy(n -> assertThat(n).hasValue(1));
    Await.until("the schedule ran after the resume", WAIT, () -> !queue.scheduleHistory("minutely").isEmpty());
  }

  @Test
  void a_paused_queue_holds_its_jobs_and_others_run() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    queue.register("work", succeed(done));
    queue.pauseQueue("emails");
    long held = queue.enqueue(JobRequest.of("work").withQueue("emails")).id();
    long free = queue.enqueue(JobRequest.of("work")).id();
    started(queue.newWorkerPool(2));

    awaitState(free, JobState.SUCCEEDED);
    assertThat(job(held).state()).isEqualTo(JobState.PENDING);
    assertThat(queue.explain(held).reasons()).anySatisfy(r -> assertThat(r).contains("queue 'emails' is paused"));
    assertThat(queue.stats().pausedQueues()).containsExactly("emails");
    queue.resumeQueue("emails");
    awaitState(held, JobState.SUCCEEDED);
  }

  @Test
  void the_overall_concurrency_limit_is_never_exceeded_across_two_worker_pools() throws Exception {
    queue.setConcurrencyLimit(ConcurrencyLimit.overall(3));
    AtomicInteger current = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    int jobs = 40;
    CountDownLatch done = new CountDownLatch(jobs);
    JobHandler handler = ctx -> {
      max.accumulateAndGet(current.incrementAndGet(), Math::max);
      Thread.sleep(15); // work
      current.decrementAndGet();
      done.countDown();
      return JobResult.success();
    };
    queue.register("work", handler);
    JobQueue other = secondQueue(config());
    other.register("work", handler);
    for (int i = 0; i < jobs; i++) {
      queue.enqueue(JobRequest.of("work"));
    }
    started(queue.newWorkerPool(4));
    started(other.newWorkerPool(4));

    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(max.get()).isBetween(2, 3);
    assertThat(queue.stats().limits()).containsExactly(ConcurrencyLimit.overall(3));
  }

  @Test
  void per_queue_and_per_type_limits_hold_and_a_full_limit_is_explained() throws Exception {
    queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("render", 2));
    queue.setConcurrencyLimit(ConcurrencyLimit.ofQueue("slow", 1));
    AtomicInteger renders = new AtomicInteger();
    AtomicInteger maxRenders = new AtomicInteger();
    AtomicInteger slow = new AtomicInteger();
    AtomicInteger maxSlow = new AtomicInteger();
    CountDownLatch hold = new CountDownLatch(1);
    int n = 12;
    CountDownLatch done = new CountDownLatch(2 * n);
    queue.register("render", ctx -> {
      maxRenders.accumulateAndGet(renders.incrementAndGet(), Math::max);
      hold.await(20, TimeUnit.SECONDS);
      renders.decrementAndGet();
      done.countDown();
      return JobResult.success();
    });
    queue.register("mail", ctx -> {
      maxSlow.accumulateAndGet(slow.incrementAndGet(), Math::max);
      Thread.sleep(5);
      slow.decrementAndGet();
      done.countDown();
      return JobResult.success();
    });
    List<Long> renderIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      renderIds.add(queue.enqueue(JobRequest.of("render").withPriority(Priority.HIGH)).id());
      queue.enqueue(JobRequest.of("mail").withQueue("slow"));
    }
    started(queue.newWorkerPool(6));

    Await.until("two renders run", WAIT, () -> renders.get() == 2);
    long waiting = renderIds.stream().filter(id -> job(id).state() == JobState.PENDING).findFirst().orElseThrow();
    assertThat(queue.explain(waiting).reasons())
        .anySatisfy(r -> assertThat(r).contains("the limit of job type 'render' allows 2 and 2 are running"));
    hold.countDown();
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    assertThat(maxRenders).hasValue(2);
    assertThat(maxSlow).hasValue(1);
  }

  // ---- leases, fencing, cancellation, shutdown --------------------------------------------------

  @Test
  void a_worker_whose_lease_expired_cannot_overwrite_the_outcome_of_the_worker_that_took_over() throws Exception {
    // Worker A: renews so rarely that its lease expires while its handler is still running.
    JobQueue a = secondQueue(config().withLease(Duration.ofMinutes(10), Duration.ofMinutes(9)).withWorkerName("A"));
    CountDownLatch aStarted = new CountDownLatch(1);
    CountDownLatch aMayFinish = new CountDownLatch(1);
    AtomicReference<Boolean> aOwnsAtEnd = new AtomicReference<>();
    CountDownLatch aReturned = new CountDownLatch(1);
    a.register("pay", ctx -> {
      aStarted.countDown();
      aMayFinish.await(20, TimeUnit.SECONDS);
      aOwnsAtEnd.set(ctx.stillOwnsLease());
      aReturned.countDown();
      return JobResult.success("{\"by\":\"A\"}");
    });
    WorkerPool poolA = started(a.newWorkerPool(1));
    long id = queue.enqueue(JobRequest.of("pay")).id();
    assertThat(aStarted.await(20, TimeUnit.SECONDS)).isTrue();
    long tokenA = job(id).leaseToken();

    clock.advance(Duration.ofMinutes(11)); // A's lease has expired: A is "paused"
    JobQueue b = secondQueue(config().withWorkerName("B"));
    b.register("pay", ctx -> JobResult.success("{\"by\":\"B\"}"));
    started(b.newWorkerPool(1));
    Job byB = awaitState(id, JobState.SUCCEEDED);
    assertThat(byB.output()).contains("\"B\"");
    assertThat(byB.leaseToken()).isGreaterThan(tokenA);

    aMayFinish.countDown();
    assertThat(aReturned.await(20, TimeUnit.SECONDS)).isTrue();
    poolA.close(); // writes A's outcome, if it could
    assertThat(aOwnsAtEnd.get()).isFalse();
    Job after = job(id);
    assertThat(after.output()).contains("\"B\"");
    assertThat(after.attempt()).isEqualTo(2);
    assertThat(queue.history(id)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.LEASE_EXPIRED, JobRun.Outcome.SUCCEEDED);
    assertThat(queue.history(id).get(0).worker()).startsWith("A:");
    assertThat(queue.history(id).get(1).worker()).startsWith("B:");
  }

  @Test
  void cancelling_a_running_job_interrupts_its_handler_and_its_outcome_is_not_recorded() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    queue.register("long", ctx -> {
      started.countDown();
      try {
        new CountDownLatch(1).await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      return JobResult.success();
    });
    long id = queue.enqueue(JobRequest.of("long")).id();
    long child = queue.enqueue(JobRequest.of("x").withParent(id)).id();
    started(queue.newWorkerPool(1));
    assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

    assertThat(queue.cancel(id)).isTrue();

    assertThat(interrupted.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(job(id).state()).isEqualTo(JobState.CANCELLED);
    assertThat(job(child).state()).isEqualTo(JobState.FAILED);
    assertThat(job(child).lastError()).contains("was cancelled");
  }

  @Test
  void a_job_whose_worker_stopped_renewing_is_rescued_and_retried_with_the_attempt_counted() throws Exception {
    JobQueue frozen = secondQueue(config().withLease(Duration.ofMinutes(10), Duration.ofMinutes(9)).withWorkerName("frozen"));
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    frozen.register("job", ctx -> {
      stuck.countDown();
      release.await(20, TimeUnit.SECONDS);
      return JobResult.success();
    });
    WorkerPool frozenPool = started(frozen.newWorkerPool(1));
    long id = queue.enqueue(JobRequest.of("job").withMaxAttempts(2)).id();
    assertThat(stuck.await(20, TimeUnit.SECONDS)).isTrue();
    Await.until("the pool is registered", WAIT, () -> queue.explain(id).reasons().get(0).contains("leased by worker frozen"));

    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(queue.explain(id).reasons()).anySatisfy(r -> assertThat(r).contains("lease expired"));
    CountDownLatch done = new CountDownLatch(1);
    queue.register("job", succeed(done));
    started(queue.newWorkerPool(1));

    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    Job j = awaitState(id, JobState.SUCCEEDED);
    assertThat(j.attempt()).isEqualTo(2);
    assertThat(queue.history(id)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.LEASE_EXPIRED, JobRun.Outcome.SUCCEEDED);
    release.countDown();
    frozenPool.close();
    assertThat(job(id).state()).isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void graceful_shutdown_lets_running_jobs_finish_and_gives_back_those_past_the_timeout() throws Exception {
    CountDownLatch bothStarted = new CountDownLatch(2);
    AtomicBoolean finished = new AtomicBoolean();
    queue.register("short", ctx -> {
      bothStarted.countDown();
      Thread.sleep(200);
      finished.set(true);
      return JobResult.success();
    });
    queue.register("endless", ctx -> {
      bothStarted.countDown();
      new CountDownLatch(1).await();
      return JobResult.success();
    });
    long shortJob = queue.enqueue(JobRequest.of("short")).id();
    long endless = queue.enqueue(JobRequest.of("endless")).id();
    WorkerPool pool = started(queue.newWorkerPool(2));
    assertThat(bothStarted.await(20, TimeUnit.SECONDS)).isTrue();

    boolean clean = pool.close(Duration.ofMillis(800));

    assertThat(clean).isFalse();
    assertThat(finished).isTrue();
    assertThat(job(shortJob).state()).isEqualTo(JobState.SUCCEEDED);
    Job givenBack = job(endless);
    assertThat(givenBack.state()).isEqualTo(JobState.PENDING);
    assertThat(givenBack.attempt()).isZero();
    assertThat(queue.history(endless)).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.INTERRUPTED);
  }

  // ---- status and retention -------------------------------------------------------------------

  @Test
  void stats_count_jobs_by_state_and_measure_the_oldest_due_job_and_throughput() {
    queue.enqueue(JobRequest.of("a"));
    queue.enqueue(JobRequest.of("a").withDelay(Duration.ofHours(1)));
    clock.advance(Duration.ofSeconds(30));
    queue.register("b", ctx -> JobResult.success());
    long b = queue.enqueue(JobRequest.of("b")).id();
    started(queue.newWorkerPool(1));
    awaitState(b, JobState.SUCCEEDED);

    SchedulerStats stats = queue.stats();
    assertThat(stats.count(JobState.PENDING)).isEqualTo(2);
    assertThat(stats.count(JobState.SUCCEEDED)).isEqualTo(1);
    assertThat(stats.count(JobState.FAILED)).isZero();
    assertThat(stats.oldestDueAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(stats.succeededLastMinute()).isEqualTo(1);
    assertThat(stats.killSwitchOn()).isFalse();
  }

  @Test
  void stats_count_jobs_and_measure_the_oldest_due_job_per_queue_and_type_and_the_running_jobs_of_a_limit()
      throws Exception {
    queue.enqueue(JobRequest.of("mail"));
    clock.advance(Duration.ofSeconds(20));
    queue.enqueue(JobRequest.of("mail").withQueue("bulk"));
    queue.enqueue(JobRequest.of("mail").withQueue("bulk").withDelay(Duration.ofHours(1)));
    long pdf = queue.enqueue(JobRequest.of("pdf").withQueue("bulk")).id();
    queue.enqueue(JobRequest.of("pdf").withQueue("bulk"));
    clock.advance(Duration.ofSeconds(10));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    queue.register("pdf", ctx -> {
      entered.countDown();
      if (!release.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test did not release the job");
      }
      return JobResult.success();
    });
    queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("pdf", 1));
    started(queue.newWorkerPool(2));
    assertThat(entered.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    SchedulerStats stats = queue.stats();
    assertThat(stats.byQueueAndType()).extracting(SchedulerStats.TypeStats::queue, SchedulerStats.TypeStats::type)
        .containsExactly(org.assertj.core.api.Assertions.tuple("bulk", "mail"), org.assertj.core.api.Assertions.tuple("bulk", "pdf"),
            org.assertj.core.api.Assertions.tuple("default", "mail"));
    SchedulerStats.TypeStats bulkMail = stats.byQueueAndType().get(0);
    SchedulerStats.TypeStats bulkPdf = stats.byQueueAndType().get(1);
    SchedulerStats.TypeStats defaultMail = stats.byQueueAndType().get(2);
    assertThat(bulkMail.count(JobState.PENDING)).isEqualTo(2);
    assertThat(bulkMail.oldestDueAge()).as("the delayed job is not due").isEqualTo(Duration.ofSeconds(10));
    assertThat(bulkPdf.count(JobState.RUNNING)).isEqualTo(1);
    assertThat(bulkPdf.count(JobState.PENDING)).as("held back by the limit").isEqualTo(1);
    assertThat(bulkPdf.oldestDueAge()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaultMail.count(JobState.PENDING)).isEqualTo(1);
    assertThat(defaultMail.oldestDueAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(stats.count(JobState.PENDING)).as("the totals are their sums").isEqualTo(4);
    assertThat(stats.count(JobState.RUNNING)).isEqualTo(1);
    assertThat(stats.oldestDueAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(stats.running(ConcurrencyLimit.ofJobType("pdf", 1))).isEqualTo(1);
    assertThat(stats.running(ConcurrencyLimit.ofQueue("default", 1))).isZero();
    assertThat(stats.running(ConcurrencyLimit.overall(9))).isEqualTo(1);
    release.countDown();
    awaitState(pdf, JobState.SUCCEEDED);
  }

  @Test
  void finished_jobs_and_history_are_pruned_after_their_retention_but_failed_jobs_are_kept() {
    JobQueue q = secondQueue(config().withRetention(Duration.ofHours(1), null, Duration.ofDays(2)));
    q.register("ok", ctx -> JobResult.success());
    q.register("bad", ctx -> JobResult.failWithoutRetry("bad"));
    long ok = q.enqueue(JobRequest.of("ok")).id();
    long bad = q.enqueue(JobRequest.of("bad")).id();
    started(q.newWorkerPool(2));
    awaitState(ok, JobState.SUCCEEDED);
    awaitState(bad, JobState.FAILED);

    clock.advance(Duration.ofHours(2));
    Await.until("the succeeded job is pruned", WAIT, () -> q.job(ok).isEmpty());
    assertThat(q.history(ok)).hasSize(1);
    clock.advance(Duration.ofDays(3));
    Await.until("its history is pruned", WAIT, () -> q.history(ok).isEmpty());
    assertThat(q.job(bad)).isPresent();
    assertThat(q.history(bad)).hasSize(1);
  }

  @Test
  void handlers_can_be_installed_from_service_loader_plugins_once() throws Exception {
    assertThat(queue.registerDiscoveredHandlers()).containsExactly("test-plugin");
    assertThat(queue.registerDiscoveredHandlers()).isEmpty();
    assertThat(queue.registeredTypes()).contains(TestPlugin.TYPE);
    started(queue.newWorkerPool(1));
    long id = queue.enqueue(JobRequest.of(TestPlugin.TYPE)).id();
    assertThat(awaitState(id, JobState.SUCCEEDED).output()).contains("plugin");
  }

  // ---- processes ------------------------------------------------------------------------------

  Process startWorker(String mode, int threads, String... name) throws Exception {
    File log = File.createTempFile("fabula-worker-" + mode, ".log");
    List<String> command = ChildJvm.command(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
        WorkerMain.class, url(), tablePrefix(), mode, Integer.toString(threads));
    command.addAll(List.of(name));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log)
        .start();
    toClose.add(() -> {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    });
    return p;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // child processes
  void a_worker_process_killed_with_sigkill_while_running_jobs_loses_none_and_each_completes_once() throws Exception {
    int n = 60;
    int quick = 8; // the rest hold their thread until the kill, so jobs are surely running at it
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(queue.enqueue(JobRequest.of("slow").withPayload(i < quick ? "{}" : "{\"hold\": true}")).id());
    }
    Process child = startWorker("slow", 4);
    // Real time here: the child's leases and our rescue run on the database's clock.
    JobQueue rescuer = secondQueue(JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(50))
        .withLease(Duration.ofSeconds(2), Duration.ofMillis(500)).withMaintenanceInterval(Duration.ofMillis(200)));
    Await.until("the child has finished some jobs and holds others", Duration.ofSeconds(60), () ->
        rescuer.stats().count(JobState.SUCCEEDED) >= 4
            && rescuer.list(JobQuery.ALL.withState(JobState.RUNNING)).stream().filter(j -> j.payload().contains("hold")).count() >= 2);

    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long runningAtKill = rescuer.stats().count(JobState.RUNNING);
    assertThat(runningAtKill).isPositive();

    Map<Long, AtomicInteger> ranHere = new ConcurrentHashMap<>();
    rescuer.register("slow", ctx -> {
      ranHere.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
      return JobResult.success();
    });
    started(rescuer.newWorkerPool(4));
    Await.until("every job succeeded", Duration.ofSeconds(60), () -> rescuer.stats().count(JobState.SUCCEEDED) == n);

    SchedulerStats stats = rescuer.stats();
    assertThat(stats.count(JobState.PENDING) + stats.count(JobState.RUNNING) + stats.count(JobState.FAILED)).isZero();
    int rescued = 0;
    for (long id : ids) {
      List<JobRun> history = rescuer.history(id);
      assertThat(history).filteredOn(r -> r.outcome() == JobRun.Outcome.SUCCEEDED).as("job %d", id).hasSize(1);
      if (history.stream().anyMatch(r -> r.outcome() == JobRun.Outcome.LEASE_EXPIRED)) {
        rescued++;
        assertThat(job(id).attempt()).isEqualTo(2);
      }
    }
    assertThat(rescued).isEqualTo((int) runningAtKill);
    assertThat(ranHere.values()).allSatisfy(c -> assertThat(c).hasValue(1));
  }

  /**
   * Two processes, each with four threads and its own queue, share one limit of two on a job type.
   * A "limited" job waits at the probe's gate, so the test holds one running in each process at
   * once; with both slots taken, neither process may claim another. A "tick" job in each queue
   * shows that each process claimed after more limited jobs were enqueued, so a limit counted only
   * inside a process would by then have taken a third and fourth. Then the gate opens and both
   * processes drain their queues.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // child processes
  void a_per_type_concurrency_limit_of_two_holds_across_two_worker_processes() throws Exception {
    Probe.create(store);
    queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("limited", 2));
    JobRequest limited = JobRequest.of("limited").withPriority(Priority.HIGH);
    queue.enqueue(limited.withQueue("a"));
    queue.enqueue(limited.withQueue("b"));
    JobQueue observer = secondQueue(JobQueueConfig.DEFAULT);
    startWorker("probe", 4, "a");
    startWorker("probe", 4, "b");

    Await.until("one limited job runs in each process at once", Duration.ofSeconds(60),
        () -> Probe.runningProcesses(store).equals(Set.of("a", "b")));
    int more = 10;
    for (int i = 0; i < more; i++) {
      queue.enqueue(limited.withQueue("a"));
      queue.enqueue(limited.withQueue("b"));
    }
    long tickA = queue.enqueue(JobRequest.of("tick").withPriority(Priority.LOW).withQueue("a")).id();
    long tickB = queue.enqueue(JobRequest.of("tick").withPriority(Priority.LOW).withQueue("b")).id();
    Await.until("each process claimed its tick", Duration.ofSeconds(60),
        () -> job(tickA).state() == JobState.SUCCEEDED && job(tickB).state() == JobState.SUCCEEDED);
    assertThat(observer.list(JobQuery.ALL.withType("limited").withState(JobState.RUNNING)))
        .as("limited jobs running while the two held ones keep both slots; all of them: %s",
            observer.list(JobQuery.ALL.withType("limited")).stream()
                .map(j -> j.id() + " " + j.queue() + " " + j.state() + " " + j.leaseOwner()).toList())
        .hasSize(2);

    Probe.openGate(store);
    int n = 2 + 2 * more;
    Await.until("every limited job succeeded", Duration.ofSeconds(90),
        () -> observer.list(JobQuery.ALL.withType("limited").withState(JobState.SUCCEEDED)).size() == n);
    for (Job j : observer.list(JobQuery.ALL.withType("limited"))) {
      assertThat(observer.history(j.id())).extracting(JobRun::outcome)
          .as("job %d: a lease lost to a slow machine would let a third copy run; the children's leases are long", j.id())
          .doesNotContain(JobRun.Outcome.LEASE_EXPIRED);
    }
    assertThat(Probe.maxSeen(store)).as("most limited jobs running at once, over both processes").isEqualTo(2);
    for (String name : List.of("a", "b")) {
      assertThat(observer.list(JobQuery.ALL.withType("limited").withQueue(name))).hasSize(1 + more)
          .extracting(Job::leaseOwner).allSatisfy(owner -> assertThat(owner).startsWith("child-probe-" + name + ":"));
    }
  }
}

package dev.fabula.examples.bookings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.ConcurrencyException;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingPlatform.SettledBooking;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.migration.ImportSummary;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.RetryPolicy;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.TimeSource;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.spi.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bookings story end to end, written once; each backend's subclass supplies a database. Every
 * test opens its own platform with its own table prefix.
 */
abstract class BookingPlatformContract {
  static final LocalDate DAY = LocalDate.of(2025, 3, 10);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  private final List<BookingPlatform> opened = new ArrayList<>();
  private final BlockingQueue<SettledBooking> settled = new LinkedBlockingQueue<>();
  final SimulatedPaymentGateway gateway = new SimulatedPaymentGateway();
  String prefix;

  /** A JDBC URL of a database this test may use (tables with other prefixes may exist). */
  abstract String url();

  @AfterEach
  void closePlatforms() {
    opened.forEach(BookingPlatform::close);
  }

  BookingPlatform open(PlatformConfig config, ConfirmationSender sender) {
    prefix = "bk" + PREFIXES.incrementAndGet() + "_";
    BookingPlatform.migrate(url(), config.withTablePrefix(prefix));
    BookingPlatform platform = BookingPlatform.open(url(), config.withTablePrefix(prefix), gateway, sender);
    opened.add(platform);
    platform.onSettled(settled::add);
    return platform;
  }

  BookingPlatform open() {
    return open(testConfig(), (tenant, booking) -> {});
  }

  static PlatformConfig testConfig() {
    return PlatformConfig.DEFAULT
        .withStepRetries(RetryPolicy.DEFAULT.withMaxAttempts(3).withBaseDelay(Duration.ofMillis(10)))
        .withPollInterval(Duration.ofMillis(20));
  }

  static BookingRequest request(String staff, int hour, String customer, String method, long cents, String key) {
    return new BookingRequest(staff, DAY.atTime(hour, 0), customer, method, cents, key);
  }

  /** Waits for {@code n} bookings to settle; returns their statuses by booking id. */
  Map<String, Status> awaitSettled(int n) throws InterruptedException {
    Map<String, Status> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      SettledBooking s = settled.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(s).as("booking %d of %d settled within %s", i + 1, n, WAIT).isNotNull();
      out.put(s.bookingId(), s.status());
    }
    return out;
  }

  static List<String> types(EventStore view, String streamId) {
    return view.readStream(streamId).stream().map(RecordedEvent::type).toList();
  }

  static List<Job> jobs(BookingPlatform platform, String type) {
    return platform.queue().list(JobQuery.ALL.withType(type));
  }

  // ---- tenants ------------------------------------------------------------------------------

  @Test
  void tenants_never_see_each_others_streams_or_rows() {
    BookingPlatform platform = open();
    RequestOutcome acme = platform.request("acme", request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));
    RequestOutcome globex = platform.request("globex", request("ana", 9, "raj@example.com", "card-ok", 5000, "req-1"));
    assertThat(acme.booked()).isTrue();
    assertThat(globex.booked()).as("the same staff name and slot in another tenant is another schedule").isTrue();
    assertThat(globex.bookingId()).isNotEqualTo(acme.bookingId());

    EventStore globexView = platform.store().forTenant("globex");
    String acmeStream = "booking-acme:" + acme.bookingId();
    assertThat(globexView.readStream(acmeStream)).as("acme's stream does not exist for globex").isEmpty();
    assertThat(globexView.streamInfo(acmeStream)).isEmpty();
    assertThatThrownBy(() -> globexView.append(acmeStream, ExpectedVersion.exactly(1),
        List.of(EventData.of(new BookingEvent.BookingConfirmed(acme.bookingId())))))
        .isInstanceOf(ConcurrencyException.class);
    assertThat(platform.bookings(globexView).load("acme:" + acme.bookingId()).version()).isZero();
    assertThat(types(platform.store().forTenant("acme"), acmeStream)).containsExactly("booking-requested");
    try (Stream<RecordedEvent> listed = globexView.readAll(LogQuery.all())) {
      assertThat(listed.map(e -> e.streamId() + " " + e.metadata().tenantId()).toList()).containsExactlyInAnyOrder(
          "booking-globex:" + globex.bookingId() + " globex", "schedule-globex:ana globex");
    }
    assertThat(platform.booking("globex", acme.bookingId()).state().status())
        .as("an acme booking id names nothing in globex").isEqualTo(Status.NONE);

    platform.startProjections();
    platform.awaitReadModels(WAIT);
    assertThat(platform.readModels().heldSlots("acme", "ana")).containsExactly("2025-03-10T09:00");
    assertThat(platform.readModels().heldSlots("globex", "ana")).containsExactly("2025-03-10T09:00");
    assertThat(platform.readModels().heldSlots("initech", "ana")).isEmpty();
    List<String> rows = platform.store().jdbi().withHandle(h -> h.createQuery(
            "SELECT tenant_id || ' ' || booking_id FROM " + platform.readModels().availabilityTable() + " ORDER BY 1")
        .mapTo(String.class).list());
    assertThat(rows).containsExactly("acme " + acme.bookingId(), "globex " + globex.bookingId());
  }

  // ---- idempotency and the slot rule --------------------------------------------------------

  @Test
  void a_request_retried_from_many_threads_books_once_and_answers_the_same() throws Exception {
    BookingPlatform platform = open();
    BookingRequest request = request("ana", 10, "lea@example.com", "card-ok", 8000, "req-42");
    List<RequestOutcome> outcomes = concurrently(16, i -> platform.request("acme", request));

    assertThat(Set.copyOf(outcomes)).hasSize(1);
    RequestOutcome outcome = outcomes.get(0);
    assertThat(outcome.booked()).isTrue();
    assertThat(outcome.receipt()).isEqualTo(new RequestOutcome.Receipt(outcome.bookingId(), "ana", "2025-03-10T10:00", 8000));
    EventStore acme = platform.store().forTenant("acme");
    assertThat(types(acme, "booking-acme:" + outcome.bookingId())).containsExactly("booking-requested");
    assertThat(types(acme, "schedule-acme:ana")).containsExactly("slot-reserved");
    assertThat(jobs(platform, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);

    RequestOutcome other = platform.request("acme", request("ana", 11, "lea@example.com", "card-ok", 8000, "req-42"));
    assertThat(other.booked()).isFalse();
    assertThat(other.rejection().code()).isEqualTo("idempotency-key-reused");
    assertThat(types(acme, "schedule-acme:ana")).hasSize(1);

    // a retry after the saga has run: the same answer, and no second run of the saga
    platform.start();
    assertThat(awaitSettled(1)).containsExactly(Map.entry(outcome.bookingId(), Status.CONFIRMED));
    assertThat(platform.request("acme", request)).isEqualTo(outcome);
    assertThat(jobs(platform, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);
  }

  @Test
  void clients_racing_for_one_slot_get_it_once() throws Exception {
    BookingPlatform platform = open();
    List<RequestOutcome> outcomes = concurrently(8,
        i -> platform.request("acme", request("ana", 12, "c" + i + "@example.com", "card-ok", 8000, "key-" + i)));

    assertThat(outcomes.stream().filter(RequestOutcome::booked)).hasSize(1);
    assertThat(outcomes.stream().filter(o -> !o.booked()).map(o -> o.rejection().code()))
        .hasSize(7).containsOnly("slot-taken");
    AggregateState<Schedule> schedule = platform.schedule("acme", "ana");
    assertThat(schedule.version()).isEqualTo(1);
    assertThat(schedule.state().slots()).hasSize(1);
    assertThat(jobs(platform, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);
  }

  // ---- the saga and its outbox --------------------------------------------------------------

  @Test
  void the_happy_path_captures_the_payment_then_confirms() throws Exception {
    BookingPlatform platform = open();
    platform.start();
    RequestOutcome lea = platform.request("acme", request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));

    assertThat(awaitSettled(1)).containsExactly(Map.entry(lea.bookingId(), Status.CONFIRMED));
    platform.stopWorkers();
    assertThat(types(platform.store().forTenant("acme"), "booking-acme:" + lea.bookingId()))
        .containsExactly("booking-requested", "payment-captured", "booking-confirmed");
    assertThat(jobs(platform, BookingPlatform.CAPTURE_PAYMENT)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    assertThat(jobs(platform, BookingPlatform.SEND_CONFIRMATION)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    assertThat(jobs(platform, BookingPlatform.COMPENSATE)).as("one per step, cancelled when it succeeded").hasSize(2)
        .allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.CANCELLED))
        .allSatisfy(j -> assertThat(j.lastError()).isEqualTo("parent job " + j.parentId() + " succeeded: nothing to compensate"));
    assertThat(gateway.captured()).isEqualTo(1);
    platform.awaitReadModels(WAIT);
    assertThat(platform.readModels().revenue("acme")).isEqualTo(new ReadModels.Revenue("acme", 8000, 0, 1, 0));
  }

  @Test
  void erasing_a_guest_redacts_their_address_and_leaves_the_booking_and_other_guests_as_they_were() throws Exception {
    BookingPlatform platform = open();
    platform.start();
    RequestOutcome lea = platform.request("acme", request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));
    RequestOutcome bob = platform.request("acme", request("ana", 10, "bob@example.com", "card-ok", 5000, "req-2"));
    RequestOutcome globex = platform.request("globex", request("ana", 9, "lea@example.com", "card-ok", 7000, "req-1"));
    assertThat(awaitSettled(3)).containsValues(Status.CONFIRMED, Status.CONFIRMED, Status.CONFIRMED);
    platform.stopWorkers();

    var record = platform.eraseGuest("acme", lea.bookingId(), "dpo:ticket-7");

    assertThat(record.requestedBy()).isEqualTo("dpo:ticket-7");
    var erased = platform.booking("acme", lea.bookingId()).state();
    assertThat(erased.status()).isEqualTo(Status.CONFIRMED);
    assertThat(erased.request().customer()).as("the address reads redacted").isNull();
    assertThat(erased.request().staffId()).isEqualTo("ana");
    assertThat(erased.request().priceCents()).isEqualTo(8000);
    assertThat(platform.booking("acme", bob.bookingId()).state().request().customer()).isEqualTo("bob@example.com");
    assertThat(platform.booking("globex", globex.bookingId()).state().request().customer()).isEqualTo("lea@example.com");
    try (Stream<RecordedEvent> all = platform.store().readAll(LogQuery.all())) {
      assertThat(all.map(e -> String.valueOf(e.metadata().actor()))).as("no address in the unencrypted metadata")
          .noneMatch(actor -> actor.contains("@"));
    }
    platform.awaitReadModels(WAIT);
    assertThat(platform.readModels().revenue("acme")).isEqualTo(new ReadModels.Revenue("acme", 13000, 0, 2, 0));
  }

  @Test
  void a_payment_that_fails_for_good_cancels_the_booking_and_frees_the_slot() throws Exception {
    BookingPlatform platform = open();
    platform.start();
    RequestOutcome ida = platform.request("acme", request("ana", 10, "ida@example.com", "declined-card", 7000, "req-3"));

    assertThat(awaitSettled(1)).containsExactly(Map.entry(ida.bookingId(), Status.CANCELLED));
    platform.stopWorkers();
    EventStore acme = platform.store().forTenant("acme");
    assertThat(types(acme, "booking-acme:" + ida.bookingId()))
        .containsExactly("booking-requested", "payment-failed", "booking-cancelled");
    assertThat(types(acme, "schedule-acme:ana")).containsExactly("slot-reserved", "slot-released");
    Job capture = jobs(platform, BookingPlatform.CAPTURE_PAYMENT).get(0);
    assertThat(capture.state()).isEqualTo(JobState.FAILED);
    assertThat(platform.queue().history(capture.id())).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.FAILED, JobRun.Outcome.FAILED, JobRun.Outcome.FAILED);
    assertThat(gateway.captureCalls()).isEqualTo(3);
    assertThat(jobs(platform, BookingPlatform.COMPENSATE)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    assertThat(jobs(platform, BookingPlatform.SEND_CONFIRMATION)).isEmpty();
    assertThat(gateway.refunded()).as("nothing was captured, so nothing is refunded").isZero();

    RequestOutcome next = platform.request("acme", request("ana", 10, "tom@example.com", "card-ok", 7000, "req-5"));
    assertThat(next.booked()).as("the released slot can be booked again").isTrue();
    platform.awaitReadModels(WAIT);
    assertThat(platform.readModels().revenue("acme")).isEqualTo(new ReadModels.Revenue("acme", 0, 0, 0, 1));
  }

  @Test
  void a_confirmation_that_fails_for_good_refunds_the_payment_and_cancels() throws Exception {
    BookingPlatform platform = open(testConfig(), (tenant, booking) -> {
      throw new IllegalStateException("mailbox unavailable");
    });
    platform.start();
    RequestOutcome max = platform.request("acme", request("ana", 11, "max@example.com", "card-ok", 9000, "req-4"));

    assertThat(awaitSettled(1)).containsExactly(Map.entry(max.bookingId(), Status.CANCELLED));
    platform.stopWorkers();
    EventStore acme = platform.store().forTenant("acme");
    assertThat(types(acme, "booking-acme:" + max.bookingId())).containsExactly("booking-requested",
        "payment-captured", "confirmation-failed", "payment-refunded", "booking-cancelled");
    assertThat(types(acme, "schedule-acme:ana")).containsExactly("slot-reserved", "slot-released");
    assertThat(jobs(platform, BookingPlatform.SEND_CONFIRMATION)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.FAILED))
        .satisfies(j -> assertThat(j.attempt()).isEqualTo(3));
    assertThat(jobs(platform, BookingPlatform.COMPENSATE)).extracting(Job::state)
        .as("the payment's compensation was cancelled, the confirmation's ran")
        .containsExactly(JobState.CANCELLED, JobState.SUCCEEDED);
    assertThat(gateway.captured()).isEqualTo(1);
    assertThat(gateway.refunded()).isEqualTo(1);
    platform.awaitReadModels(WAIT);
    assertThat(platform.readModels().revenue("acme")).isEqualTo(new ReadModels.Revenue("acme", 9000, 9000, 0, 1));
    assertThat(platform.readModels().heldSlots("acme", "ana")).isEmpty();
  }

  @Test
  void a_rolled_back_request_appends_nothing_and_enqueues_nothing() {
    AtomicBoolean crash = new AtomicBoolean(true);
    BookingPlatform platform = open(testConfig().withFaults((step, bookingId) -> {
      if (step.equals("booking-requested") && crash.getAndSet(false)) {
        throw new IllegalStateException("power cut before the commit");
      }
    }), (tenant, booking) -> {});
    BookingRequest request = request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1");

    assertThatThrownBy(() -> platform.request("acme", request)).hasMessage("power cut before the commit");
    String bookingId = BookingPlatform.bookingIdFor("acme", "req-1");
    assertThat(platform.store().forTenant("acme").streamInfo("booking-acme:" + bookingId)).isEmpty();
    assertThat(platform.store().forTenant("acme").streamInfo("schedule-acme:ana")).isEmpty();
    assertThat(jobs(platform, BookingPlatform.CAPTURE_PAYMENT)).isEmpty();

    RequestOutcome retried = platform.request("acme", request);
    assertThat(retried.booked()).isTrue();
    assertThat(types(platform.store().forTenant("acme"), "booking-acme:" + bookingId)).containsExactly("booking-requested");
    assertThat(jobs(platform, BookingPlatform.CAPTURE_PAYMENT)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.PENDING));
  }

  @Test
  void a_crash_between_capture_and_commit_retries_the_step_without_duplicates() throws Exception {
    AtomicBoolean crash = new AtomicBoolean(true);
    BookingPlatform platform = open(testConfig().withFaults((step, bookingId) -> {
      if (step.equals("payment-captured") && crash.getAndSet(false)) {
        throw new IllegalStateException("worker died before the commit");
      }
    }), (tenant, booking) -> {});
    platform.start();
    RequestOutcome lea = platform.request("acme", request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));

    assertThat(awaitSettled(1)).containsExactly(Map.entry(lea.bookingId(), Status.CONFIRMED));
    platform.stopWorkers();
    assertThat(types(platform.store().forTenant("acme"), "booking-acme:" + lea.bookingId()))
        .containsExactly("booking-requested", "payment-captured", "booking-confirmed");
    Job capture = jobs(platform, BookingPlatform.CAPTURE_PAYMENT).get(0);
    assertThat(platform.queue().history(capture.id())).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.FAILED, JobRun.Outcome.SUCCEEDED);
    assertThat(gateway.captureCalls()).as("asked twice").isEqualTo(2);
    assertThat(gateway.captured()).as("charged once: the key is the booking").isEqualTo(1);
    assertThat(jobs(platform, BookingPlatform.SEND_CONFIRMATION)).as("the rolled-back attempt queued nothing")
        .hasSize(1);
  }

  @Test
  void a_step_whose_worker_died_on_its_last_attempt_is_compensated() throws Exception {
    TestClock clock = new TestClock(Instant.now());
    BookingPlatform platform = open(testConfig().withStepRetries(RetryPolicy.noRetry()).withClock(clock),
        (tenant, booking) -> {});
    RequestOutcome ida = platform.request("acme", request("ana", 10, "ida@example.com", "card-ok", 7000, "req-3"));

    // Another process claims the payment step and freezes in its only attempt: it never renews its lease.
    JobQueue other = JobQueue.open(platform.store(), JobQueueConfig.DEFAULT.withClock(clock).withTime(TimeSource.of(clock))
        .withLease(Duration.ofMinutes(10), Duration.ofMinutes(9)).withWorkerName("frozen"));
    CountDownLatch claimed = new CountDownLatch(1);
    CountDownLatch thaw = new CountDownLatch(1);
    other.register(BookingPlatform.CAPTURE_PAYMENT, ctx -> {
      claimed.countDown();
      thaw.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      throw new IllegalStateException("thawed too late: the step was given up on");
    });
    try (WorkerPool frozen = other.newWorkerPool(1).start()) {
      assertThat(claimed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofMinutes(11)); // the lease has expired
      platform.startWorkers(); // its pool rescues the job: no attempt left, so it failed and its compensation runs
      assertThat(awaitSettled(1)).containsExactly(Map.entry(ida.bookingId(), Status.CANCELLED));
      thaw.countDown();
    }
    platform.stopWorkers();

    Job capture = jobs(platform, BookingPlatform.CAPTURE_PAYMENT).get(0);
    assertThat(capture.state()).isEqualTo(JobState.FAILED);
    assertThat(platform.queue().history(capture.id())).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.LEASE_EXPIRED);
    assertThat(jobs(platform, BookingPlatform.COMPENSATE)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.SUCCEEDED));
    EventStore acme = platform.store().forTenant("acme");
    assertThat(types(acme, "booking-acme:" + ida.bookingId()))
        .containsExactly("booking-requested", "payment-failed", "booking-cancelled");
    assertThat(platform.store().types().decode(acme.readStream("booking-acme:" + ida.bookingId()).get(1)))
        .isInstanceOfSatisfying(BookingEvent.PaymentFailed.class, f -> {
          assertThat(f.reason()).startsWith("lease expired: worker frozen");
          assertThat(f.attempts()).isEqualTo(1);
        });
    assertThat(types(acme, "schedule-acme:ana")).containsExactly("slot-reserved", "slot-released");
    assertThat(gateway.captureCalls()).as("the frozen worker never got to the provider").isZero();
  }

  /** A clock that stands still until the test moves it. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant start) {
      now = start;
    }

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override public Instant instant() { return now; }
    @Override public ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(ZoneId zone) { return this; }
  }

  // ---- snapshots ----------------------------------------------------------------------------

  @Test
  void a_long_schedule_loads_from_its_snapshot_and_equals_a_full_replay() {
    BookingPlatform platform = open(testConfig().withSnapshotEvery(50), (tenant, booking) -> {});
    for (int i = 0; i < 120; i++) {
      LocalDateTime slot = DAY.plusDays(i / 8).atTime(9 + i % 8, 0);
      assertThat(platform.request("acme",
          new BookingRequest("ana", slot, "c" + i + "@example.com", "card-ok", 1000, "k" + i)).booked()).isTrue();
    }
    String stream = "schedule-acme:ana";
    Snapshot snapshot = platform.snapshots().load("acme", stream).orElseThrow();
    assertThat(snapshot.version()).as("taken by the load before request 101").isEqualTo(100);

    EventStore acme = platform.store().forTenant("acme");
    CountingSchedule fromSnapshot = new CountingSchedule();
    AggregateState<Schedule> loaded = AggregateRepository.of(acme, fromSnapshot,
        RepositoryConfig.DEFAULT.withSnapshots(platform.snapshots(), SnapshotPolicy.never())).load("acme:ana");
    CountingSchedule fullReplay = new CountingSchedule();
    AggregateState<Schedule> replayed = AggregateRepository.of(acme, fullReplay).load("acme:ana");

    assertThat(fromSnapshot.evolved.get()).as("events replayed after the snapshot").isEqualTo(20);
    assertThat(fullReplay.evolved.get()).isEqualTo(120);
    assertThat(loaded).isEqualTo(replayed);
    assertThat(loaded.version()).isEqualTo(120);
    assertThat(loaded.state().slots()).hasSize(120);
    assertThat(loaded.state().bookedMinutes()).isEqualTo(120 * 60);
    assertThat(platform.schedule("acme", "ana")).isEqualTo(replayed);
  }

  /** The schedule aggregate, counting the events it replays. */
  static final class CountingSchedule implements Aggregate<Schedule, StaffScheduleAggregate.Command, ScheduleEvent> {
    final AtomicInteger evolved = new AtomicInteger();
    private final StaffScheduleAggregate delegate = new StaffScheduleAggregate();

    @Override public String category() { return delegate.category(); }
    @Override public Class<Schedule> stateType() { return delegate.stateType(); }
    @Override public Class<ScheduleEvent> eventType() { return delegate.eventType(); }
    @Override public Schedule initialState() { return delegate.initialState(); }

    @Override
    public Schedule evolve(Schedule state, ScheduleEvent event) {
      evolved.incrementAndGet();
      return delegate.evolve(state, event);
    }

    @Override
    public Decision<ScheduleEvent> decide(Schedule state, StaffScheduleAggregate.Command command) {
      return delegate.decide(state, command);
    }
  }

  // ---- migration, read models and reconciliation ---------------------------------------------

  @Test
  void the_legacy_import_writes_each_row_once_per_tenant() {
    BookingPlatform platform = open();
    String legacy = seedLegacy(platform);

    ImportSummary first = platform.importLegacy("acme", legacy);
    assertThat(first.rowsRead()).isEqualTo(2);
    assertThat(first.eventsWritten()).isEqualTo(2);
    ImportSummary rerun = platform.importLegacy("acme", legacy);
    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(2);
    assertThat(platform.importLegacy("globex", legacy).eventsWritten()).isEqualTo(1);

    List<RecordedEvent> imported = platform.store().forTenant("acme").readStream("booking-acme:legacy-1");
    assertThat(imported).singleElement().satisfies(e -> {
      assertThat(e.metadata().tenantId()).isEqualTo("acme");
      assertThat(platform.store().types().decode(e)).isEqualTo(new BookingEvent.BookingImported("legacy-1", "ana",
          "2025-02-03T09:00", "kim@example.com", 6000, "completed", 1L));
    });
    assertThat(platform.booking("acme", "legacy-2").state().status()).isEqualTo(Status.CANCELLED);
    assertThat(platform.store().forTenant("globex").readStream("booking-acme:legacy-1")).isEmpty();
    try (Stream<RecordedEvent> all = platform.store().readAll(LogQuery.all())) {
      assertThat(all.count()).isEqualTo(3);
    }
  }

  @Test
  void the_reconciliation_matches_revenue_to_the_events_and_reports_differences() throws Exception {
    BookingPlatform platform = open(testConfig(), (tenant, booking) -> {
      if (booking.customer().endsWith("@bounce.invalid")) {
        throw new IllegalStateException("bounced");
      }
    });
    platform.importLegacy("acme", seedLegacy(platform));
    platform.start();
    platform.request("acme", request("ana", 9, "lea@example.com", "card-ok", 8000, "r1"));
    platform.request("acme", request("ana", 10, "max@bounce.invalid", "card-ok", 9000, "r2"));
    platform.request("acme", request("ben", 9, "ida@example.com", "declined-card", 7000, "r3"));
    platform.request("globex", request("ana", 9, "raj@example.com", "card-ok", 5000, "r1"));
    platform.request("globex", request("ana", 10, "sue@example.com", "card-ok", 2550, "r2"));
    assertThat(awaitSettled(5).values()).containsExactlyInAnyOrder(
        Status.CONFIRMED, Status.CANCELLED, Status.CANCELLED, Status.CONFIRMED, Status.CONFIRMED);

    Reconciliation.Report report = platform.reconcile(WAIT);
    assertThat(report.passed()).as(report.parity().describe()).isTrue();
    assertThat(report.fromEvents().get("acme")).containsExactly(6000 + 8000 + 9000, 9000);
    assertThat(report.fromEvents().get("globex")).containsExactly(7550, 0);
    assertThat(platform.readModels().revenue("acme")).isEqualTo(new ReadModels.Revenue("acme", 23000, 9000, 2, 3));
    assertThat(platform.readModels().revenue("globex")).isEqualTo(new ReadModels.Revenue("globex", 7550, 0, 2, 0));
    platform.awaitReadModels(WAIT); // the reconciliation waited for revenue only; availability too now
    assertThat(platform.readModels().freeSlots("acme", "ana", DAY)).hasSize(7).doesNotContain("2025-03-10T09:00");
    assertThat(platform.readModels().freeSlots("globex", "ana", DAY)).hasSize(6);

    platform.store().jdbi().useHandle(h -> h.execute("UPDATE " + platform.readModels().revenueTable()
        + " SET captured_cents = captured_cents + 500 WHERE tenant_id = 'globex'"));
    Reconciliation.Report broken = platform.reconcile(WAIT);
    assertThat(broken.passed()).isFalse();
    assertThat(broken.parity().different()).isEqualTo(1);
    assertThat(broken.parity().differentExamples()).singleElement()
        .satisfies(d -> assertThat(d.key()).contains("globex"));
    assertThat(broken.parity().describe()).contains("PARITY FAILED");
  }

  String seedLegacy(BookingPlatform platform) {
    String table = prefix + "legacy_bookings";
    LegacyImport.createLegacyTable(platform.store(), table);
    platform.store().jdbi().useHandle(h -> {
      h.execute("INSERT INTO " + table + " VALUES (1, 'acme', 'ana', '2025-02-03T09:00', 'kim@example.com', 6000, 'completed')");
      h.execute("INSERT INTO " + table + " VALUES (2, 'acme', 'ana', '2025-02-03T10:00', 'lou@example.com', 6000, 'cancelled')");
      h.execute("INSERT INTO " + table + " VALUES (3, 'globex', 'ana', '2025-02-04T09:00', 'sam@example.com', 4500, 'completed')");
    });
    return table;
  }

  // ---- helpers ------------------------------------------------------------------------------

  interface Call<T> {
    T call(int thread) throws Exception;
  }

  /** Runs {@code call} on {@code n} threads released at once; returns the results in thread order. */
  static <T> List<T> concurrently(int n, Call<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int thread = i;
        futures.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          return call.call(thread);
        }));
      }
      ready.await();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}

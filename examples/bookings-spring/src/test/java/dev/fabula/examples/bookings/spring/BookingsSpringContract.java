package dev.fabula.examples.bookings.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.ErasureRecord;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.bookings.BookingAggregate.Status;
import dev.fabula.examples.bookings.BookingEvent;
import dev.fabula.examples.bookings.BookingPlatform;
import dev.fabula.examples.bookings.BookingRequest;
import dev.fabula.examples.bookings.LegacyImport;
import dev.fabula.examples.bookings.ReadModels;
import dev.fabula.examples.bookings.Reconciliation;
import dev.fabula.examples.bookings.RequestOutcome;
import dev.fabula.examples.bookings.StaffScheduleAggregate;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.migration.ImportSummary;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQuery;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRun;
import dev.fabula.scheduler.JobState;
import dev.fabula.spi.Snapshot;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The plain bookings example's story checks, on the Spring application: tenants, idempotent
 * requests, the slot rule, the saga with its outbox, retries and compensations, crashes before a
 * commit, snapshots, the legacy import and the reconciliation, plus the application's own table,
 * written in the same transactions. One application per backend serves every test; each test has
 * tenants of its own, and every check is per tenant. A backend's subclass supplies the data source.
 */
@SpringBootTest(classes = {BookingsApplication.class, TestBeans.class}, properties = {
    "bookings.step-max-attempts=3",
    "bookings.step-retry-delay=10ms",
    "bookings.snapshot-every=5",
    "fabula.scheduler.poll-interval=20ms",
    "fabula.projections.poll-interval=20ms"})
abstract class BookingsSpringContract {
  static final LocalDate DAY = LocalDate.of(2025, 3, 10);
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final AtomicInteger TENANTS = new AtomicInteger();

  @Autowired BookingService bookings;
  @Autowired BookingTable table;
  @Autowired JdbcEventStore store;
  @Autowired JobQueue queue;
  @Autowired JdbcSnapshotStore snapshots;
  @Autowired JdbcTemplate jdbc;
  @Autowired TestBeans.CountingGateway gateway;
  @Autowired TestBeans.Crashes crashes;
  @Autowired TestBeans.Settled settled;

  /** A tenant id no other test uses. */
  static String tenant(String name) {
    return name + "-" + TENANTS.incrementAndGet();
  }

  static BookingRequest request(String staff, int hour, String customer, String method, long cents, String key) {
    return new BookingRequest(staff, DAY.atTime(hour, 0), customer, method, cents, key);
  }

  static List<String> types(EventStore view, String streamId) {
    return view.readStream(streamId).stream().map(RecordedEvent::type).toList();
  }

  /** A tenant's jobs of a type, in id order. */
  List<Job> jobs(String tenant, String type) {
    List<Job> out = new ArrayList<>();
    long after = 0;
    while (true) {
      List<Job> page = queue.list(JobQuery.ALL.withType(type).withAfterId(after).withLimit(100));
      page.stream().filter(j -> tenant.equals(j.tenantId())).forEach(out::add);
      if (page.size() < 100) {
        return out;
      }
      after = page.get(page.size() - 1).id();
    }
  }

  Status settle(RequestOutcome outcome) throws InterruptedException {
    return settled.await(outcome.bookingId(), WAIT);
  }

  // ---- tenants ------------------------------------------------------------------------------

  @Test
  void tenants_never_see_each_others_streams_or_rows() throws Exception {
    String acme = tenant("acme");
    String globex = tenant("globex");
    RequestOutcome a = bookings.request(acme, request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));
    RequestOutcome g = bookings.request(globex, request("ana", 9, "raj@example.com", "card-ok", 5000, "req-1"));
    assertThat(a.booked()).isTrue();
    assertThat(g.booked()).as("the same staff name and slot in another tenant is another schedule").isTrue();
    assertThat(g.bookingId()).isNotEqualTo(a.bookingId());

    EventStore globexView = store.forTenant(globex);
    String acmeStream = "booking-" + acme + ":" + a.bookingId();
    assertThat(globexView.readStream(acmeStream)).as("acme's stream does not exist for globex").isEmpty();
    assertThat(globexView.streamInfo(acmeStream)).isEmpty();
    assertThatThrownBy(() -> globexView.append(acmeStream, ExpectedVersion.exactly(1),
        List.of(EventData.of(new BookingEvent.BookingConfirmed(a.bookingId())))))
        .isInstanceOf(ConcurrencyException.class);
    assertThat(types(store.forTenant(acme), acmeStream)).first().isEqualTo("booking-requested");
    try (Stream<RecordedEvent> listed = globexView.readAll(LogQuery.all())) {
      assertThat(listed.map(e -> e.metadata().tenantId()).distinct().toList()).containsExactly(globex);
    }
    assertThat(bookings.booking(globex, a.bookingId()).state().status())
        .as("an acme booking id names nothing in globex").isEqualTo(Status.NONE);
    assertThat(table.status(globex, a.bookingId())).as("the app's table is per tenant too").isEmpty();

    settle(a);
    settle(g);
    bookings.awaitReadModels(WAIT);
    assertThat(bookings.readModels().heldSlots(acme, "ana")).containsExactly("2025-03-10T09:00");
    assertThat(bookings.readModels().heldSlots(globex, "ana")).containsExactly("2025-03-10T09:00");
    assertThat(bookings.readModels().heldSlots(tenant("initech"), "ana")).isEmpty();
    List<String> rows = jdbc.queryForList("SELECT tenant_id || ' ' || booking_id FROM "
        + bookings.readModels().availabilityTable() + " WHERE tenant_id IN (?, ?) ORDER BY 1", String.class, acme, globex);
    assertThat(rows).containsExactly(acme + " " + a.bookingId(), globex + " " + g.bookingId());
  }

  // ---- idempotency and the slot rule --------------------------------------------------------

  @Test
  void a_request_retried_from_many_threads_books_once_and_answers_the_same() throws Exception {
    String acme = tenant("acme");
    BookingRequest request = request("ana", 10, "lea@example.com", "card-ok", 8000, "req-42");
    List<RequestOutcome> outcomes = concurrently(16, i -> bookings.request(acme, request));

    assertThat(Set.copyOf(outcomes)).hasSize(1);
    RequestOutcome outcome = outcomes.get(0);
    assertThat(outcome.booked()).isTrue();
    assertThat(outcome.receipt()).isEqualTo(new RequestOutcome.Receipt(outcome.bookingId(), "ana", "2025-03-10T10:00", 8000));
    EventStore view = store.forTenant(acme);
    assertThat(types(view, "booking-" + acme + ":" + outcome.bookingId())).first().isEqualTo("booking-requested");
    assertThat(types(view, "schedule-" + acme + ":ana")).containsExactly("slot-reserved");
    assertThat(jobs(acme, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);
    assertThat(table.count(acme)).as("one row in the app's table").isEqualTo(1);

    RequestOutcome other = bookings.request(acme, request("ana", 11, "lea@example.com", "card-ok", 8000, "req-42"));
    assertThat(other.booked()).isFalse();
    assertThat(other.rejection().code()).isEqualTo("idempotency-key-reused");
    assertThat(types(view, "schedule-" + acme + ":ana")).hasSize(1);
    settle(outcome);

    // a retry after the saga has run: the same answer, and no second run of the saga
    assertThat(bookings.request(acme, request)).isEqualTo(outcome);
    assertThat(jobs(acme, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);
  }

  @Test
  void clients_racing_for_one_slot_get_it_once() throws Exception {
    String acme = tenant("acme");
    List<RequestOutcome> outcomes = concurrently(8,
        i -> bookings.request(acme, request("ana", 12, "c" + i + "@example.com", "card-ok", 8000, "key-" + i)));

    assertThat(outcomes.stream().filter(RequestOutcome::booked)).hasSize(1);
    assertThat(outcomes.stream().filter(o -> !o.booked()).map(o -> o.rejection().code()))
        .hasSize(7).containsOnly("slot-taken");
    AggregateState<Schedule> schedule = bookings.schedule(acme, "ana");
    assertThat(schedule.version()).isEqualTo(1);
    assertThat(schedule.state().slots()).hasSize(1);
    assertThat(jobs(acme, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);
    assertThat(table.count(acme)).isEqualTo(1);
    settle(outcomes.stream().filter(RequestOutcome::booked).findFirst().orElseThrow());
  }

  // ---- the saga and its outbox --------------------------------------------------------------

  @Test
  void the_happy_path_captures_the_payment_then_confirms() throws Exception {
    String acme = tenant("acme");
    RequestOutcome lea = bookings.request(acme, request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));
    assertThat(table.status(acme, lea.bookingId())).contains(Status.REQUESTED);

    assertThat(settle(lea)).isEqualTo(Status.CONFIRMED);
    assertThat(types(store.forTenant(acme), "booking-" + acme + ":" + lea.bookingId()))
        .containsExactly("booking-requested", "payment-captured", "booking-confirmed");
    assertThat(table.status(acme, lea.bookingId())).as("committed with the confirmation").contains(Status.CONFIRMED);
    awaitJobs(acme, BookingPlatform.SEND_CONFIRMATION, JobState.SUCCEEDED);
    awaitJobs(acme, BookingPlatform.CAPTURE_PAYMENT, JobState.SUCCEEDED);
    awaitJobs(acme, BookingPlatform.COMPENSATE, JobState.CANCELLED, JobState.CANCELLED);
    assertThat(jobs(acme, BookingPlatform.COMPENSATE)).as("one per step, cancelled when it succeeded")
        .allSatisfy(j -> assertThat(j.lastError()).isEqualTo("parent job " + j.parentId() + " succeeded: nothing to compensate"));
    assertThat(gateway.captured(acme)).isEqualTo(1);
    bookings.awaitReadModels(WAIT);
    assertThat(bookings.readModels().revenue(acme)).isEqualTo(new ReadModels.Revenue(acme, 8000, 0, 1, 0));
  }

  @Test
  void erasing_a_guest_redacts_the_address_in_the_events_and_the_table_and_leaves_other_guests_readable() throws Exception {
    String acme = tenant("acme");
    RequestOutcome lea = bookings.request(acme, request("ana", 11, "lea@example.com", "card-ok", 8000, "req-e1"));
    RequestOutcome bob = bookings.request(acme, request("ana", 12, "bob@example.com", "card-ok", 5000, "req-e2"));
    assertThat(settle(lea)).isEqualTo(Status.CONFIRMED);
    assertThat(settle(bob)).isEqualTo(Status.CONFIRMED);
    awaitJobs(acme, BookingPlatform.SEND_CONFIRMATION, JobState.SUCCEEDED, JobState.SUCCEEDED);

    ErasureRecord record = bookings.eraseGuest(acme, lea.bookingId(), "dpo:ticket-7");

    assertThat(record.counts()).containsEntry("keys", 1L);
    var erased = bookings.booking(acme, lea.bookingId()).state();
    assertThat(erased.status()).isEqualTo(Status.CONFIRMED);
    assertThat(erased.request().customer()).as("the address reads redacted").isNull();
    assertThat(erased.request().priceCents()).isEqualTo(8000);
    assertThat(table.customer(acme, lea.bookingId())).contains("");
    assertThat(bookings.booking(acme, bob.bookingId()).state().request().customer()).isEqualTo("bob@example.com");
    assertThat(table.customer(acme, bob.bookingId())).contains("bob@example.com");
    try (Stream<RecordedEvent> all = store.forTenant(acme).readAll(LogQuery.all())) {
      assertThat(all.map(e -> String.valueOf(e.metadata().actor()))).as("no address in the unencrypted metadata")
          .noneMatch(actor -> actor.contains("@"));
    }
    // Stored encrypted: no table of the store holds bob's address in plaintext either.
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + store.jdbcConfig().tablePrefix()
        + "events WHERE CAST(payload AS TEXT) LIKE '%bob@example.com%'", Long.class)).isZero();
  }

  @Test
  void a_payment_that_fails_for_good_cancels_the_booking_and_frees_the_slot() throws Exception {
    String acme = tenant("acme");
    RequestOutcome ida = bookings.request(acme, request("ana", 10, "ida@example.com", "declined-card", 7000, "req-3"));

    assertThat(settle(ida)).isEqualTo(Status.CANCELLED);
    EventStore view = store.forTenant(acme);
    assertThat(types(view, "booking-" + acme + ":" + ida.bookingId()))
        .containsExactly("booking-requested", "payment-failed", "booking-cancelled");
    assertThat(types(view, "schedule-" + acme + ":ana")).containsExactly("slot-reserved", "slot-released");
    assertThat(table.status(acme, ida.bookingId())).contains(Status.CANCELLED);
    Job capture = jobs(acme, BookingPlatform.CAPTURE_PAYMENT).get(0);
    assertThat(capture.state()).isEqualTo(JobState.FAILED);
    assertThat(queue.history(capture.id())).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.FAILED, JobRun.Outcome.FAILED, JobRun.Outcome.FAILED);
    assertThat(gateway.captureCalls(acme)).isEqualTo(3);
    awaitJobs(acme, BookingPlatform.COMPENSATE, JobState.SUCCEEDED);
    assertThat(jobs(acme, BookingPlatform.SEND_CONFIRMATION)).isEmpty();
    assertThat(gateway.refunded(acme)).as("nothing was captured, so nothing is refunded").isZero();

    RequestOutcome next = bookings.request(acme, request("ana", 10, "tom@example.com", "card-ok", 7000, "req-5"));
    assertThat(next.booked()).as("the released slot can be booked again").isTrue();
    assertThat(settle(next)).isEqualTo(Status.CONFIRMED);
    bookings.awaitReadModels(WAIT);
    assertThat(bookings.readModels().revenue(acme)).isEqualTo(new ReadModels.Revenue(acme, 7000, 0, 1, 1));
  }

  @Test
  void a_confirmation_that_fails_for_good_refunds_the_payment_and_cancels() throws Exception {
    String acme = tenant("acme");
    RequestOutcome max = bookings.request(acme, request("ana", 11, "max@bounce.invalid", "card-ok", 9000, "req-4"));

    assertThat(settle(max)).isEqualTo(Status.CANCELLED);
    EventStore view = store.forTenant(acme);
    assertThat(types(view, "booking-" + acme + ":" + max.bookingId())).containsExactly("booking-requested",
        "payment-captured", "confirmation-failed", "payment-refunded", "booking-cancelled");
    assertThat(types(view, "schedule-" + acme + ":ana")).containsExactly("slot-reserved", "slot-released");
    assertThat(table.status(acme, max.bookingId())).contains(Status.CANCELLED);
    assertThat(jobs(acme, BookingPlatform.SEND_CONFIRMATION)).singleElement()
        .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.FAILED))
        .satisfies(j -> assertThat(j.attempt()).isEqualTo(3));
    awaitJobs(acme, BookingPlatform.COMPENSATE, JobState.CANCELLED, JobState.SUCCEEDED);
    assertThat(gateway.captured(acme)).isEqualTo(1);
    assertThat(gateway.refunded(acme)).isEqualTo(1);
    bookings.awaitReadModels(WAIT);
    assertThat(bookings.readModels().revenue(acme)).isEqualTo(new ReadModels.Revenue(acme, 9000, 9000, 0, 1));
    assertThat(bookings.readModels().heldSlots(acme, "ana")).isEmpty();
  }

  @Test
  void a_rolled_back_request_appends_nothing_enqueues_nothing_and_writes_no_row() throws Exception {
    String acme = tenant("acme");
    BookingRequest request = request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1");
    String bookingId = BookingPlatform.bookingIdFor(acme, "req-1");
    crashes.crashOnce(bookingId, "booking-requested");

    assertThatThrownBy(() -> bookings.request(acme, request)).hasMessage("crash before the commit of booking-requested");
    assertThat(store.forTenant(acme).streamInfo("booking-" + acme + ":" + bookingId)).isEmpty();
    assertThat(store.forTenant(acme).streamInfo("schedule-" + acme + ":ana")).isEmpty();
    assertThat(jobs(acme, BookingPlatform.CAPTURE_PAYMENT)).isEmpty();
    assertThat(table.count(acme)).as("Spring rolled back the app's row with the events").isZero();

    RequestOutcome retried = bookings.request(acme, request);
    assertThat(retried.booked()).isTrue();
    assertThat(jobs(acme, BookingPlatform.CAPTURE_PAYMENT)).hasSize(1);
    assertThat(table.count(acme)).isEqualTo(1);
    assertThat(settle(retried)).isEqualTo(Status.CONFIRMED);
  }

  @Test
  void a_crash_between_capture_and_commit_retries_the_step_without_duplicates() throws Exception {
    String acme = tenant("acme");
    crashes.crashOnce(BookingPlatform.bookingIdFor(acme, "req-1"), "payment-captured");
    RequestOutcome lea = bookings.request(acme, request("ana", 9, "lea@example.com", "card-ok", 8000, "req-1"));

    assertThat(settle(lea)).isEqualTo(Status.CONFIRMED);
    assertThat(types(store.forTenant(acme), "booking-" + acme + ":" + lea.bookingId()))
        .containsExactly("booking-requested", "payment-captured", "booking-confirmed");
    awaitJobs(acme, BookingPlatform.CAPTURE_PAYMENT, JobState.SUCCEEDED);
    Job capture = jobs(acme, BookingPlatform.CAPTURE_PAYMENT).get(0);
    assertThat(queue.history(capture.id())).extracting(JobRun::outcome)
        .containsExactly(JobRun.Outcome.FAILED, JobRun.Outcome.SUCCEEDED);
    assertThat(gateway.captureCalls(acme)).as("asked twice").isEqualTo(2);
    assertThat(gateway.captured(acme)).as("charged once: the key is the booking").isEqualTo(1);
    assertThat(jobs(acme, BookingPlatform.SEND_CONFIRMATION)).as("the rolled-back attempt queued nothing").hasSize(1);
    assertThat(table.status(acme, lea.bookingId())).contains(Status.CONFIRMED);
  }

  // ---- snapshots ----------------------------------------------------------------------------

  @Test
  void a_long_schedule_loads_from_its_snapshot_and_equals_a_full_replay() {
    // The plain test books 120 slots with a snapshot every 50 events; here every 5, and 12 slots.
    String acme = tenant("acme");
    for (int i = 0; i < 12; i++) {
      LocalDateTime slot = DAY.plusDays(i / 8).atTime(9 + i % 8, 0);
      assertThat(bookings.request(acme, new BookingRequest("ana", slot, "c" + i + "@example.com", "card-ok", 1000,
          "k" + i)).booked()).isTrue();
    }
    String stream = "schedule-" + acme + ":ana";
    Snapshot snapshot = snapshots.load(acme, stream).orElseThrow();
    assertThat(snapshot.version()).as("taken by the load before request 11").isEqualTo(10);

    AggregateState<Schedule> loaded = bookings.schedule(acme, "ana");
    AggregateState<Schedule> replayed = AggregateRepository.of(store.forTenant(acme), new StaffScheduleAggregate())
        .load(BookingPlatform.key(acme, "ana"));
    assertThat(loaded).isEqualTo(replayed);
    assertThat(loaded.version()).as("the saga confirms, so it never writes the schedule").isEqualTo(12);
    assertThat(loaded.state().slots()).hasSize(12);
    assertThat(loaded.state().bookedMinutes()).isEqualTo(12 * 60);
  }

  // ---- migration, read models and reconciliation ---------------------------------------------

  @Test
  void the_legacy_import_writes_each_row_once_per_tenant() {
    String acme = tenant("acme");
    String globex = tenant("globex");
    String legacy = seedLegacy(acme, globex);

    ImportSummary first = bookings.importLegacy(acme, legacy);
    assertThat(first.rowsRead()).isEqualTo(2);
    assertThat(first.eventsWritten()).isEqualTo(2);
    ImportSummary rerun = bookings.importLegacy(acme, legacy);
    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsSkipped()).isEqualTo(2);
    assertThat(bookings.importLegacy(globex, legacy).eventsWritten()).isEqualTo(1);

    List<RecordedEvent> imported = store.forTenant(acme).readStream("booking-" + acme + ":legacy-1");
    assertThat(imported).singleElement().satisfies(e -> {
      assertThat(e.metadata().tenantId()).isEqualTo(acme);
      assertThat(store.types().decode(e)).isEqualTo(new BookingEvent.BookingImported("legacy-1", "ana",
          "2025-02-03T09:00", "kim@example.com", 6000, "completed", 1L));
    });
    assertThat(bookings.booking(acme, "legacy-2").state().status()).isEqualTo(Status.CANCELLED);
    assertThat(store.forTenant(globex).readStream("booking-" + acme + ":legacy-1")).isEmpty();
  }

  @Test
  void the_reconciliation_matches_revenue_to_the_events_and_reports_differences() throws Exception {
    String acme = tenant("acme");
    String globex = tenant("globex");
    bookings.importLegacy(acme, seedLegacy(acme, globex));
    List<RequestOutcome> requests = List.of(
        bookings.request(acme, request("ana", 9, "lea@example.com", "card-ok", 8000, "r1")),
        bookings.request(acme, request("ana", 10, "max@bounce.invalid", "card-ok", 9000, "r2")),
        bookings.request(acme, request("ben", 9, "ida@example.com", "declined-card", 7000, "r3")),
        bookings.request(globex, request("ana", 9, "raj@example.com", "card-ok", 5000, "r1")),
        bookings.request(globex, request("ana", 10, "sue@example.com", "card-ok", 2550, "r2")));
    List<Status> statuses = new ArrayList<>();
    for (RequestOutcome r : requests) {
      statuses.add(settle(r));
    }
    assertThat(statuses).containsExactly(Status.CONFIRMED, Status.CANCELLED, Status.CANCELLED, Status.CONFIRMED,
        Status.CONFIRMED);

    Reconciliation.Report report = bookings.reconcile(WAIT);
    assertThat(report.passed()).as(report.parity().describe()).isTrue();
    assertThat(report.fromEvents().get(acme)).containsExactly(6000 + 8000 + 9000, 9000);
    assertThat(report.fromEvents().get(globex)).containsExactly(7550, 0);
    assertThat(bookings.readModels().revenue(acme)).isEqualTo(new ReadModels.Revenue(acme, 23000, 9000, 2, 3));
    assertThat(bookings.readModels().revenue(globex)).isEqualTo(new ReadModels.Revenue(globex, 7550, 0, 2, 0));
    bookings.awaitReadModels(WAIT);
    assertThat(bookings.readModels().freeSlots(acme, "ana", DAY)).hasSize(7).doesNotContain("2025-03-10T09:00");
    assertThat(bookings.readModels().freeSlots(globex, "ana", DAY)).hasSize(6);

    String revenue = bookings.readModels().revenueTable();
    jdbc.update("UPDATE " + revenue + " SET captured_cents = captured_cents + 500 WHERE tenant_id = ?", globex);
    try {
      Reconciliation.Report broken = bookings.reconcile(WAIT);
      assertThat(broken.passed()).isFalse();
      assertThat(broken.parity().different()).isEqualTo(1);
      assertThat(broken.parity().differentExamples()).singleElement()
          .satisfies(d -> assertThat(d.key()).contains(globex));
      assertThat(broken.parity().describe()).contains("PARITY FAILED");
    } finally {
      jdbc.update("UPDATE " + revenue + " SET captured_cents = captured_cents - 500 WHERE tenant_id = ?", globex);
    }
  }

  /** A legacy table with two rows of {@code acme} (one cancelled) and one of {@code globex}. */
  String seedLegacy(String acme, String globex) {
    String name = "legacy_" + acme.replace('-', '_');
    LegacyImport.createLegacyTable(store, name);
    jdbc.update("INSERT INTO " + name + " VALUES (1, ?, 'ana', '2025-02-03T09:00', 'kim@example.com', 6000, 'completed')", acme);
    jdbc.update("INSERT INTO " + name + " VALUES (2, ?, 'ana', '2025-02-03T10:00', 'lou@example.com', 6000, 'cancelled')", acme);
    jdbc.update("INSERT INTO " + name + " VALUES (3, ?, 'ana', '2025-02-04T09:00', 'sam@example.com', 4500, 'completed')", globex);
    return name;
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Waits until a tenant's jobs of {@code type} are in {@code states} (in id order). */
  void awaitJobs(String tenant, String type, JobState... states) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!jobs(tenant, type).stream().map(Job::state).toList().equals(List.of(states))) {
      assertThat(System.nanoTime()).as("%s jobs of %s reached %s; now %s", type, tenant, List.of(states),
          jobs(tenant, type).stream().map(Job::state).toList()).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

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

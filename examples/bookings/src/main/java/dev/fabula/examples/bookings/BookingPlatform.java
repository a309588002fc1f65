package dev.fabula.examples.bookings;

import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.ConcurrencyException;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventTypes;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.ExpectedVersion;
import dev.fabula.Metadata;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.StreamAppend;
import dev.fabula.examples.bookings.BookingAggregate.Booking;
import dev.fabula.examples.bookings.BookingEvent.BookingRequested;
import dev.fabula.examples.bookings.StaffScheduleAggregate.Schedule;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.migration.ImportSummary;
import dev.fabula.projections.Projections;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.TimeSource;
import dev.fabula.scheduler.WorkerPool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The multi-tenant booking platform in scale mode: an event store with one stream per booking and
 * per staff schedule, a saga driven by jobs that commit with the events (the outbox), read models
 * per tenant, a reconciliation, and an importer for the legacy table.
 *
 * <pre>{@code
 * try (BookingPlatform platform = BookingPlatform.open("jdbc:sqlite:bookings.db", PlatformConfig.DEFAULT,
 *     gateway, sender)) {
 *   platform.start();                       // saga workers and projection runner
 *   RequestOutcome outcome = platform.request("acme", request);
 * }
 * }</pre>
 *
 * <p><b>Tenants.</b> Every write and read goes through {@code store.forTenant(tenant)}; stream ids
 * carry the tenant too ({@code booking-acme:bk1f…}), so two tenants never share a stream.
 *
 * <p><b>Idempotency.</b> The booking id and every event id are derived from the tenant and the
 * client's idempotency key, so a retried request appends ids the store already holds: it returns
 * the first result and writes nothing, however many threads retry at once.
 *
 * <p>Thread-safe. Close it to stop the workers and the projection runner and close the store.
 */
public final class BookingPlatform implements AutoCloseable {

  /** Every slot lasts an hour. */
  public static final int SLOT_MINUTES = 60;

  /** Job type of the saga's first step. */
  public static final String CAPTURE_PAYMENT = "capture-payment";

  /** Job type of the saga's second step. */
  public static final String SEND_CONFIRMATION = "send-confirmation";

  /** Job type of the compensation, queued with each step and run only if that step fails for good. */
  public static final String COMPENSATE = "compensate-booking";

  static final BookingAggregate BOOKING = new BookingAggregate();
  static final StaffScheduleAggregate SCHEDULE = new StaffScheduleAggregate();
  private static final int MAX_ATTEMPTS = 20;
  private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  private final JdbcEventStore store;
  private final PlatformConfig config;
  private final JdbcSnapshotStore snapshots;
  private final RepositoryConfig scheduleRepositoryConfig;
  private final JobQueue queue;
  private final Projections projections;
  private final ReadModels readModels;
  private final BookingSaga saga;
  private final List<Consumer<SettledBooking>> listeners = new CopyOnWriteArrayList<>();
  private @Nullable WorkerPool workers;
  private @Nullable ProjectionRunner runner;

  /** A booking that reached the end of its saga, told to {@link #onSettled} listeners after the commit. */
  public record SettledBooking(String tenant, String bookingId, BookingAggregate.Status status) {}

  private BookingPlatform(JdbcEventStore store, PlatformConfig config, PaymentGateway gateway,
      ConfirmationSender sender) {
    this.store = store;
    this.config = config;
    this.snapshots = JdbcSnapshotStore.open(store);
    this.scheduleRepositoryConfig = RepositoryConfig.DEFAULT
        .withSnapshots(snapshots, SnapshotPolicy.everyEvents(config.snapshotEvery()));
    JobQueueConfig schedulerConfig = JobQueueConfig.DEFAULT
        .withClock(config.clock())
        // the system clock: leases and due times on the database's clock; a simulated clock drives them too
        .withTime(config.clock().equals(Clock.systemUTC()) ? TimeSource.database() : TimeSource.of(config.clock()))
        .withPollInterval(config.pollInterval())
        .withShutdownTimeout(Duration.ofSeconds(10))
        .withRetryPolicy(CAPTURE_PAYMENT, config.stepRetries())
        .withRetryPolicy(SEND_CONFIRMATION, config.stepRetries())
        .withRetryPolicy(COMPENSATE, config.stepRetries());
    this.queue = JobQueue.open(store, schedulerConfig);
    this.projections = Projections.open(store);
    this.readModels = new ReadModels(store, projections, config.tablePrefix());
    this.saga = new BookingSaga(this, gateway, sender);
    saga.registerOn(queue);
  }

  /** The event types of the platform. */
  public static EventTypes eventTypes() {
    return EventTypes.builder().register(BookingEvent.class).register(ScheduleEvent.class).build();
  }

  /**
   * The platform's personal data: the customer of {@code booking-requested} and {@code
   * booking-imported}, keyed by the booking ({@link BookingEvent}).
   */
  public static PersonalDataPolicy personalData() {
    return PersonalDataPolicy.builder().register(BookingEvent.class).build();
  }

  /** The store's configuration: the event types and the personal data policy. */
  public static EventStoreConfig storeConfig() {
    return EventStoreConfig.DEFAULT.withEventTypes(eventTypes()).withPersonalData(personalData());
  }

  /**
   * Creates or upgrades the platform's tables: the event store's (with the scheduler's, the
   * projections' and the import's) and the read models'. Run it once per release, before {@link
   * #open}, as a role that may run DDL (the schema owner on PostgreSQL); the platform itself then
   * needs only row privileges. Safe to run again.
   */
  public static void migrate(String jdbcUrl, PlatformConfig config) {
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(config.tablePrefix());
    JdbcEventStore.migrate(jdbcUrl, jdbc);
    try (JdbcEventStore store = JdbcEventStore.open(jdbcUrl, storeConfig(), jdbc)) {
      store.jdbi().useHandle(h -> ReadModels.createTables(h, config.tablePrefix()));
    }
  }

  /**
   * Opens the platform on a database (SQLite file or PostgreSQL); runs no DDL (the tables must
   * exist: {@link #migrate}). Nothing runs in the background until {@link #start()}.
   */
  public static BookingPlatform open(String jdbcUrl, PlatformConfig config, PaymentGateway gateway,
      ConfirmationSender sender) {
    JdbcEventStore store = JdbcEventStore.open(jdbcUrl, storeConfig(), JdbcConfig.DEFAULT.withTablePrefix(config.tablePrefix()));
    try {
      return new BookingPlatform(store, config, gateway, sender);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Starts the saga's worker pool and the projection runner. */
  public synchronized BookingPlatform start() {
    startWorkers();
    startProjections();
    return this;
  }

  /** Starts the saga's worker pool (idempotent). */
  public synchronized void startWorkers() {
    if (workers == null) {
      workers = queue.newWorkerPool(config.workerThreads()).start();
    }
  }

  /** Stops the saga's worker pool, letting running steps finish (their outcomes are recorded). */
  public synchronized void stopWorkers() {
    if (workers != null) {
      workers.close();
      workers = null;
    }
  }

  /** Starts the projection runner of the read models (idempotent). */
  public synchronized void startProjections() {
    if (runner == null) {
      runner = projections.runner(RunnerConfig.DEFAULT, readModels.projections());
      runner.start();
    }
  }

  /** Calls {@code listener} after the commit of every booking that reaches CONFIRMED or CANCELLED. */
  public void onSettled(Consumer<SettledBooking> listener) {
    listeners.add(listener);
  }

  // ---- commands -------------------------------------------------------------------------------

  /**
   * Books a slot: in one transaction the booking stream gets {@code booking-requested}, the staff
   * schedule {@code slot-reserved}, and the queue the saga's first job with its compensation. A retry with the same
   * idempotency key returns the same outcome and writes nothing; a slot held by another booking is
   * refused with {@code slot-taken}.
   */
  public RequestOutcome request(String tenant, BookingRequest request) {
    EventStore view = store.forTenant(Tenants.check(tenant));
    String bookingId = bookingIdFor(tenant, request.idempotencyKey());
    String slot = request.slot().format(SLOT);
    BookingRequested requested = new BookingRequested(bookingId, request.staffId(), slot, request.customer(),
        request.paymentMethod(), request.priceCents(), request.idempotencyKey());
    AggregateRepository<Booking, BookingAggregate.Command, BookingEvent> bookings = bookings(view);
    AggregateRepository<Schedule, StaffScheduleAggregate.Command, ScheduleEvent> schedules = schedules(view);
    Metadata metadata = Metadata.EMPTY.withCorrelationId(bookingId).withCausationId(request.idempotencyKey())
        .withActor("client"); // never the customer's address: metadata is not encrypted
    for (int attempt = 1; ; attempt++) {
      AggregateState<Booking> booking = bookings.load(key(tenant, bookingId));
      Decision<BookingEvent> decision = BOOKING.decide(booking.state(), new BookingAggregate.Request(requested));
      if (decision instanceof Decision.Reject<BookingEvent> refused) {
        return new RequestOutcome(bookingId, null, refused.rejection());
      }
      List<BookingEvent> bookingEvents = ((Decision.Accept<BookingEvent>) decision).events();
      if (bookingEvents.isEmpty()) {
        return booked(requested); // a retry of a request that is already booked
      }
      AggregateState<Schedule> schedule = schedules.load(key(tenant, request.staffId()));
      Decision<ScheduleEvent> reserve = SCHEDULE.decide(schedule.state(),
          new StaffScheduleAggregate.Reserve(request.staffId(), slot, bookingId, SLOT_MINUTES));
      if (reserve instanceof Decision.Reject<ScheduleEvent> refused) {
        return new RequestOutcome(bookingId, null, refused.rejection());
      }
      List<StreamAppend> appends = new ArrayList<>();
      appends.add(new StreamAppend(booking.streamId(), expected(booking.version()),
          eventData(booking.streamId(), bookingId, bookingEvents, metadata)));
      List<ScheduleEvent> scheduleEvents = ((Decision.Accept<ScheduleEvent>) reserve).events();
      if (!scheduleEvents.isEmpty()) {
        appends.add(new StreamAppend(schedule.streamId(), expected(schedule.version()),
            eventData(schedule.streamId(), bookingId, scheduleEvents, metadata)));
      }
      try {
        view.inTransaction(tx -> {
          // A retry whose events are stored already (the same event ids) replays them and writes
          // nothing: its first job was enqueued with them, and may have run by now.
          if (tx.appendAll(appends).stream().anyMatch(r -> !r.replayed())) {
            saga.enqueue(tx, CAPTURE_PAYMENT, tenant, bookingId);
          }
          config.faults().beforeCommit("booking-requested", bookingId);
          return null;
        });
        return booked(requested);
      } catch (ConcurrencyException | EventIdConflictException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e; // another writer won every time: give up loudly
        }
        // Another request changed the booking or the schedule first (or took this key with other
        // content): load again and decide again.
      }
    }
  }

  /** A booking of a tenant (version 0 and status NONE if there is none). */
  public AggregateState<Booking> booking(String tenant, String bookingId) {
    return bookings(store.forTenant(Tenants.check(tenant))).load(key(tenant, bookingId));
  }

  /**
   * Erases a guest's booking on their request: the customer's address of {@code bookingId} reads as
   * {@code null} for good (its key is deleted), and its saga jobs are deleted with their history;
   * slots, amounts and the other bookings stay. Run it for a settled booking: an unfinished saga
   * loses its jobs. Idempotent.
   *
   * @param by who asked, kept in the erasure record (a role or a ticket, never the guest)
   */
  public ErasureRecord eraseGuest(String tenant, String bookingId, String by) {
    return store.forTenant(Tenants.check(tenant)).erase(Erasure.subject(bookingId).by(by));
  }

  /** A staff member's schedule, loaded from its snapshot plus the events after it. */
  public AggregateState<Schedule> schedule(String tenant, String staffId) {
    return schedules(store.forTenant(Tenants.check(tenant))).load(key(tenant, staffId));
  }

  /** The read models (availability, revenue), per tenant. */
  public ReadModels readModels() {
    return readModels;
  }

  /** Waits until both read models have applied every event appended so far. */
  public void awaitReadModels(Duration timeout) {
    readModels.await(store.headPosition(), timeout);
  }

  /** Checks the revenue read model against the totals of the events, per tenant. */
  public Reconciliation.Report reconcile(Duration timeout) {
    return new Reconciliation(store, readModels, config.tablePrefix()).run(timeout);
  }

  /** Imports a tenant's rows of the legacy bookings table into events; rerunning it writes nothing. */
  public ImportSummary importLegacy(String tenant, String legacyTable) {
    return LegacyImport.run(store, Tenants.check(tenant), legacyTable);
  }

  /** The event store, for operators and tests. */
  public JdbcEventStore store() {
    return store;
  }

  /** The job queue that drives the saga. */
  public JobQueue queue() {
    return queue;
  }

  /** The projections of the read models (status, rebuilds), for operators. */
  public Projections projections() {
    return projections;
  }

  /** The snapshot store of the staff schedules. */
  public JdbcSnapshotStore snapshots() {
    return snapshots;
  }

  /** The configuration. */
  public PlatformConfig config() {
    return config;
  }

  /** Stops the workers (running steps finish) and the projection runner, then closes the store. */
  @Override
  public synchronized void close() {
    try {
      stopWorkers();
      if (runner != null) {
        runner.close();
        runner = null;
      }
    } finally {
      store.close();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  AggregateRepository<Booking, BookingAggregate.Command, BookingEvent> bookings(EventStore view) {
    return AggregateRepository.of(view, BOOKING);
  }

  AggregateRepository<Schedule, StaffScheduleAggregate.Command, ScheduleEvent> schedules(EventStore view) {
    return AggregateRepository.of(view, SCHEDULE, scheduleRepositoryConfig);
  }

  void settled(String tenant, String bookingId, BookingAggregate.Status status) {
    SettledBooking settled = new SettledBooking(tenant, bookingId, status);
    for (Consumer<SettledBooking> listener : listeners) {
      listener.accept(settled);
    }
  }

  /** The aggregate id of a tenant's booking or staff member: the tenant is part of the stream id. */
  public static String key(String tenant, String id) {
    return tenant + ":" + id;
  }

  /** The booking id an idempotency key stands for, the same on every retry. */
  public static String bookingIdFor(String tenant, String idempotencyKey) {
    return "bk" + nameId(tenant + "|" + idempotencyKey).toString().replace("-", "").substring(0, 12);
  }

  private static ExpectedVersion expected(long version) {
    return version == 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
  }

  /**
   * Events with ids derived from the stream, the booking and the event type: each happens once per
   * booking, so a retried request appends the same ids and the store writes nothing.
   */
  public static List<EventData> eventData(String streamId, String bookingId, List<?> events, Metadata metadata) {
    List<EventData> out = new ArrayList<>(events.size());
    for (Object event : events) {
      UUID id = nameId(streamId + "|" + bookingId + "|" + event.getClass().getSimpleName());
      out.add(EventData.of(event).withEventId(id).withMetadata(metadata));
    }
    return out;
  }

  static UUID nameId(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }

  private static RequestOutcome booked(BookingRequested r) {
    return new RequestOutcome(r.bookingId(), new RequestOutcome.Receipt(r.bookingId(), r.staffId(), r.slot(),
        r.priceCents()), null);
  }
}

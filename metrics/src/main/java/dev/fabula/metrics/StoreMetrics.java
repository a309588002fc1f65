package dev.fabula.metrics;

import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.AppendOutcomeUnknownException;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStoreException;
import dev.fabula.InvalidInputException;
import dev.fabula.StoreUnavailableException;
import dev.fabula.StreamDeletedException;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.metrics.internal.Registered;
import dev.fabula.spi.StoreObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store's meters: appends (a timer tagged by outcome, events per append, idempotent
 * replays) through the store's {@link StoreObserver} hook, and the connection pool's own HikariCP
 * meters when the store opened its pool itself.
 *
 * <pre>{@code
 * StoreMetrics metrics = StoreMetrics.of(store);
 * metrics.bindTo(registry);   // registers the meters and starts observing appends
 * ...
 * metrics.close();            // removes them again (the pool's stay until the store closes)
 * }</pre>
 *
 * <p>What is counted is what {@link StoreObserver} hears: stand-alone appends, once per call,
 * timed in the backend; appends inside {@code inTransaction} are not (only their replays are).
 * The meters are listed in docs/metrics.md. A binder binds to one registry; binding it to the same
 * registry again does nothing. Thread-safe.
 */
public final class StoreMetrics implements MeterBinder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StoreMetrics.class);

  /** How an append ended: the {@code outcome} tag of {@code fabula.store.append}. */
  enum Outcome {
    SUCCESS, CONFLICT, STREAM_DELETED, EVENT_ID_CONFLICT, UNAVAILABLE, UNKNOWN, ERROR;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static Outcome of(EventStoreException e) {
      if (e instanceof ConcurrencyException) {
        return CONFLICT;
      }
      if (e instanceof StreamDeletedException) {
        return STREAM_DELETED;
      }
      if (e instanceof EventIdConflictException) {
        return EVENT_ID_CONFLICT;
      }
      if (e instanceof StoreUnavailableException) {
        return UNAVAILABLE;
      }
      if (e instanceof AppendOutcomeUnknownException) {
        return UNKNOWN; // in doubt: may be stored, unlike every other failure
      }
      return ERROR;
    }
  }

  private final JdbcEventStore store;
  private final MetricsConfig config;
  private final Registered meters = new Registered("StoreMetrics");
  private final Map<Outcome, Timer> appends = new EnumMap<>(Outcome.class);
  private @Nullable DistributionSummary eventsPerAppend;
  private @Nullable Counter replays;
  private @Nullable Timer streamReads;
  private @Nullable Timer logPages;
  private @Nullable DistributionSummary streamReadEvents;
  private @Nullable DistributionSummary logPageEvents;
  private @Nullable DistributionSummary groupCommits;
  private JdbcEventStore.@Nullable Registration observing;

  private StoreMetrics(JdbcEventStore store, MetricsConfig config) {
    this.store = store;
    this.config = config;
  }

  /** The meters of {@code store}, with the default configuration; not bound yet. */
  public static StoreMetrics of(JdbcEventStore store) {
    return of(store, MetricsConfig.DEFAULT);
  }

  /** The meters of {@code store}, built as {@code config} says; not bound yet. */
  public static StoreMetrics of(JdbcEventStore store, MetricsConfig config) {
    if (store == null) {
      throw new InvalidInputException("store must not be null");
    }
    if (config == null) {
      throw new InvalidInputException("config must not be null; use MetricsConfig.DEFAULT");
    }
    return new StoreMetrics(store, config);
  }

  /**
   * Registers the meters in {@code registry} and starts observing the store's appends; binds the
   * store's own HikariCP pool to the registry too (its {@code hikaricp.*} meters, tagged {@code
   * pool}). Binding to the same registry again does nothing.
   *
   * @throws EventStoreException if this binder is bound to another registry or closed
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Tags tags = Tags.of(config.tags());
    if (registry != null && !meters.boundTo(registry)) {
      refuseSharedMeters(registry, tags);
    }
    if (!meters.bind(registry)) {
      return;
    }
    for (Outcome o : Outcome.values()) {
      appends.put(o, meters.add(Timer.builder("fabula.store.append")
          .description("Stand-alone appends (EventStore.append and appendAll), by outcome")
          .tags(tags).tag("outcome", o.tag())
          .publishPercentileHistogram(config.percentileHistogram())
          .publishPercentiles(config.percentileArray())
          .register(registry)));
    }
    eventsPerAppend = meters.add(DistributionSummary.builder("fabula.store.append.events")
        .description("Events per successful stand-alone append")
        .baseUnit("events")
        .tags(tags)
        .register(registry));
    replays = meters.add(Counter.builder("fabula.store.append.replays")
        .description("Stream appends whose events were stored already (idempotent retries): nothing written")
        .tags(tags)
        .register(registry));
    streamReads = meters.add(timer("fabula.store.read", "Reads that returned: one stream, or one page of the global log", tags.and("read", "stream"), registry));
    logPages = meters.add(timer("fabula.store.read", "Reads that returned: one stream, or one page of the global log", tags.and("read", "log_page"), registry));
    streamReadEvents = meters.add(summary("fabula.store.read.events", "Events per read: one stream, or one page of the global log", "events", tags.and("read", "stream"), registry));
    logPageEvents = meters.add(summary("fabula.store.read.events", "Events per read: one stream, or one page of the global log", "events", tags.and("read", "log_page"), registry));
    groupCommits = meters.add(summary("fabula.store.group.commit.appends", "Stand-alone appends that shared one commit (SQLite's group commit)", "appends", tags, registry));
    observing = store.observe(new Observer());
    bindPool(registry);
  }

  /**
   * Two binders with the same tags in one registry would share meters: each store would count the
   * other's appends, and closing one would remove the other's meters.
   */
  private static void refuseSharedMeters(MeterRegistry registry, Tags tags) {
    Set<Tag> mine = new HashSet<>();
    tags.and("outcome", Outcome.SUCCESS.tag()).forEach(mine::add);
    for (Timer t : registry.find("fabula.store.append").timers()) {
      if (new HashSet<>(t.getId().getTags()).equals(mine)) {
        throw new EventStoreException("this registry holds the meters of another StoreMetrics with the same tags "
            + mine.stream().filter(tag -> !tag.getKey().equals("outcome")).map(tag -> tag.getKey() + "=" + tag.getValue()).toList()
            + "; the two would count into the same meters. Give each store a tag of its own: StoreMetrics.of(store, "
            + "MetricsConfig.DEFAULT.withTags(List.of(Tag.of(\"store\", \"billing\"))))");
      }
    }
  }

  private Timer timer(String name, String description, Tags tags, MeterRegistry registry) {
    return Timer.builder(name).description(description).tags(tags)
        .publishPercentileHistogram(config.percentileHistogram())
        .publishPercentiles(config.percentileArray())
        .register(registry);
  }

  private static DistributionSummary summary(String name, String description, String unit, Tags tags, MeterRegistry registry) {
    return DistributionSummary.builder(name).description(description).baseUnit(unit).tags(tags).register(registry);
  }

  private void bindPool(MeterRegistry registry) {
    DataSource pool = store.ownedPool().orElse(null);
    if (!(pool instanceof HikariDataSource hikari)) {
      LOG.info("The store runs on the caller's data source: bind its pool's metrics where it is created");
      return;
    }
    try {
      hikari.setMetricRegistry(registry);
    } catch (IllegalStateException e) {
      // HikariCP takes a registry once per pool: a second store binder keeps the first one's.
      LOG.info("The store's connection pool {} reports to a registry already; left as it is", hikari.getPoolName());
    }
  }

  /** Stops observing the store and removes the meters from the registry. Harmless twice. */
  @Override
  public synchronized void close() {
    if (observing != null) {
      observing.close();
      observing = null;
    }
    meters.close();
  }

  /** Turns what the store tells into meter updates; no allocation on the append path. */
  private final class Observer implements StoreObserver {
    @Override
    public void appended(int streams, int events, long elapsedNanos) {
      appends.get(Outcome.SUCCESS).record(elapsedNanos, TimeUnit.NANOSECONDS);
      eventsPerAppend.record(events);
    }

    @Override
    public void appendFailed(int streams, int events, long elapsedNanos, EventStoreException failure) {
      appends.get(Outcome.of(failure)).record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void replayed(int events) {
      replays.increment();
    }

    @Override
    public void streamRead(int events, long elapsedNanos) {
      streamReads.record(elapsedNanos, TimeUnit.NANOSECONDS);
      streamReadEvents.record(events);
    }

    @Override
    public void logPageRead(int events, long elapsedNanos) {
      logPages.record(elapsedNanos, TimeUnit.NANOSECONDS);
      logPageEvents.record(events);
    }

    @Override
    public void groupCommitted(int appends) {
      groupCommits.record(appends);
    }
  }
}

package dev.fabula.metrics;

import dev.fabula.InvalidInputException;
import dev.fabula.metrics.internal.Polled;
import dev.fabula.metrics.internal.Registered;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionState;
import dev.fabula.projections.ProjectionStatus;
import dev.fabula.projections.Projections;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.spi.ProjectionObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Each projection version's meters: polled from {@link Projections#statuses()} (checkpoint, head,
 * lag in events and in seconds, rebuild progress, state, dead letters, the in-flight transaction
 * holding the log back, lease takeovers), and counted as this process's runners work, through the
 * {@link ProjectionObserver} hook (events applied, batch time, retries, events parked). Every meter is tagged {@code projection} (the name)
 * and {@code version}; there is no tenant tag, since a projection reads every tenant's events and
 * tenants are data, not configuration (a tag per tenant would grow without bound).
 *
 * <pre>{@code
 * ProjectionMetrics.of(projections).bindTo(registry);
 * }</pre>
 *
 * <p><b>Polling.</b> One read of the statuses serves every gauge for {@link
 * MetricsConfig#pollInterval()}; versions that appear later get their meters at the first poll
 * that sees them, and dropped ones lose theirs. While the database cannot be read the gauges show
 * NaN. A scrape, not a background thread, triggers the poll.
 *
 * <p><b>Lag in seconds</b> ({@code fabula.projection.lag}) is the age of the oldest event the
 * projection has yet to apply, by the database's clock: 0 when caught up, and it says how stale
 * the read model is while the projection follows the log. A rebuild replays events that may be a
 * year old, so there the age says nothing about health: while {@link ProjectionState#REBUILDING}
 * the lag in seconds shows NaN (no value) and {@code fabula.projection.rebuild.progress} shows how
 * far the replay has come (checkpoint ÷ head, 0 to 1) instead; lag in events stays, as it is what
 * is left to replay. Alert on the lag in seconds and on the state, not on the lag in events.
 *
 * <p>Thread-safe. Needs {@code fabula-projections} on the class path (an optional dependency of
 * {@code fabula-metrics}).
 */
public final class ProjectionMetrics implements MeterBinder, AutoCloseable {
  private final Projections projections;
  private final MetricsConfig config;
  private final Registered meters = new Registered("ProjectionMetrics");
  private final Polled<Map<ProjectionId, ProjectionStatus>> statuses;
  /** Meters per version, in the order they were registered. */
  private final Map<ProjectionId, List<Meter>> perVersion = new HashMap<>();
  /** The lease owner seen at the last poll, and takeovers seen since binding, per version. */
  private final Map<ProjectionId, String> owners = new HashMap<>();
  private final Map<ProjectionId, long[]> takeovers = new HashMap<>();
  /** The counters fed by the runners of this process, per version, made at its first batch. */
  private final Map<ProjectionId, Counted> counted = new java.util.concurrent.ConcurrentHashMap<>();
  private JdbcEventStore.@Nullable Registration observing;

  private ProjectionMetrics(Projections projections, MetricsConfig config) {
    this.projections = projections;
    this.config = config;
    this.statuses = new Polled<>("projection statuses", this::read, config.pollInterval());
  }

  /** The meters of every projection version of {@code projections}, default configuration; not bound yet. */
  public static ProjectionMetrics of(Projections projections) {
    return of(projections, MetricsConfig.DEFAULT);
  }

  /** The meters of every projection version of {@code projections}, built as {@code config} says. */
  public static ProjectionMetrics of(Projections projections, MetricsConfig config) {
    if (projections == null) {
      throw new InvalidInputException("projections must not be null");
    }
    if (config == null) {
      throw new InvalidInputException("config must not be null; use MetricsConfig.DEFAULT");
    }
    return new ProjectionMetrics(projections, config);
  }

  /**
   * Registers {@code fabula.projections} (how many versions there are) and the meters of every
   * version known now (one read of the statuses). Binding to the same registry again does nothing.
   *
   * @throws dev.fabula.EventStoreException if bound to another registry or closed
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (!meters.bind(registry)) {
      return;
    }
    meters.add(Gauge.builder("fabula.projections", statuses, s -> {
          Map<ProjectionId, ProjectionStatus> all = s.get();
          return all == null ? Double.NaN : all.size();
        })
        .description("Projection versions with a checkpoint row")
        .tags(Tags.of(config.tags()))
        .register(registry));
    statuses.invalidate();
    statuses.get();
    synchronized (this) {
      observing = projections.observe(new Observer());
    }
  }

  /** Stops observing the runners and removes every meter. Harmless twice. */
  @Override
  public void close() {
    synchronized (this) {
      if (observing != null) {
        observing.close();
        observing = null;
      }
    }
    meters.close();
  }

  /** The meters of one version that the runners of this process feed. */
  private record Counted(Counter applied, Timer batches, Counter retries, Counter parked) {}

  private Counted counted(ProjectionId id) {
    return counted.computeIfAbsent(id, i -> {
      MeterRegistry registry = meters.registry();
      Tags tags = tags(i);
      return new Counted(
          meters.add(Counter.builder("fabula.projection.events.applied")
              .description("Events its handler applied, in batches that committed, in this process")
              .baseUnit("events").tags(tags).register(registry)),
          meters.add(Timer.builder("fabula.projection.batch")
              .description("Batches that committed in this process: handler and checkpoint move")
              .tags(tags)
              .publishPercentileHistogram(config.percentileHistogram())
              .publishPercentiles(config.percentileArray())
              .register(registry)),
          meters.add(Counter.builder("fabula.projection.retries")
              .description("Retries of failed events, in this process")
              .tags(tags).register(registry)),
          meters.add(Counter.builder("fabula.projection.events.parked")
              .description("Events parked in the dead-letter table after their last attempt, in this process")
              .baseUnit("events").tags(tags).register(registry)));
    });
  }

  /** Turns what the runners tell into meter updates. */
  private final class Observer implements ProjectionObserver {
    @Override
    public void batchApplied(ProjectionId id, int events, long elapsedNanos) {
      Counted c = counted(id);
      c.applied().increment(events);
      c.batches().record(elapsedNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retrying(ProjectionId id, int attempt) {
      counted(id).retries().increment();
    }

    @Override
    public void parked(ProjectionId id) {
      counted(id).parked().increment();
    }
  }

  private Tags tags(ProjectionId id) {
    return Tags.of(config.tags()).and("projection", id.name(), "version", Integer.toString(id.version()));
  }

  /** One poll: reads the statuses, then adds meters for new versions and removes dropped ones'. */
  private Map<ProjectionId, ProjectionStatus> read() {
    Map<ProjectionId, ProjectionStatus> all = new LinkedHashMap<>();
    for (ProjectionStatus s : projections.statuses()) {
      all.put(s.id(), s);
    }
    synchronized (this) {
      if (meters.closed()) {
        return all;
      }
      for (ProjectionStatus s : all.values()) {
        countTakeover(s);
        if (!perVersion.containsKey(s.id())) {
          perVersion.put(s.id(), register(s.id()));
        }
      }
      for (ProjectionId gone : new ArrayList<>(perVersion.keySet())) {
        if (!all.containsKey(gone)) {
          meters.remove(perVersion.remove(gone));
          counted.remove(gone);
          owners.remove(gone);
          takeovers.remove(gone);
        }
      }
    }
    return all;
  }

  /** A lease that moved from one runner to another between two polls is a takeover. */
  private void countTakeover(ProjectionStatus s) {
    String before = owners.get(s.id());
    if (before != null && s.owner() != null && !before.equals(s.owner())) {
      takeovers.computeIfAbsent(s.id(), id -> new long[1])[0]++;
    }
    if (s.owner() != null) {
      owners.put(s.id(), s.owner());
    }
  }

  private List<Meter> register(ProjectionId id) {
    MeterRegistry registry = meters.registry();
    Tags tags = tags(id);
    List<Meter> group = new ArrayList<>();
    group.add(gauge(registry, "fabula.projection.checkpoint", "The last position it applied", null, tags, id,
        ProjectionStatus::checkpoint));
    group.add(gauge(registry, "fabula.projection.head", "The head of the log it follows", null, tags, id,
        ProjectionStatus::head));
    group.add(gauge(registry, "fabula.projection.lag.events", "Events it has yet to apply, up to the head", "events",
        tags, id, ProjectionStatus::lagEvents));
    group.add(TimeGauge.builder("fabula.projection.lag", this, TimeUnit.SECONDS, m -> m.value(id, ProjectionMetrics::lagSeconds))
        .description("Age of the oldest event it has yet to apply; NaN while rebuilding")
        .tags(tags).register(registry));
    group.add(gauge(registry, "fabula.projection.rebuild.progress", "Checkpoint / head while rebuilding (0 to 1); NaN otherwise",
        null, tags, id, ProjectionMetrics::rebuildProgress));
    for (ProjectionState state : ProjectionState.values()) {
      group.add(gauge(registry, "fabula.projection.state", "1 for the state it is in, 0 for the others", null,
          tags.and("state", state.name().toLowerCase(Locale.ROOT)), id, s -> s.state() == state ? 1 : 0));
    }
    group.add(gauge(registry, "fabula.projection.dead.letters", "Events in its dead-letter table still waiting", "events",
        tags, id, ProjectionStatus::parkedEvents));
    group.add(TimeGauge.builder("fabula.projection.held.back", this, TimeUnit.SECONDS, m -> m.value(id, ProjectionMetrics::heldBackSeconds))
        .description("Age of the in-flight transaction holding the head of the log back (PostgreSQL); 0 when none")
        .tags(tags).register(registry));
    group.add(FunctionCounter.builder("fabula.projection.lease.takeovers", this, m -> m.takeovers(id))
        .description("Times its lease was seen to move from one runner to another, at polls")
        .tags(tags).register(registry));
    group.forEach(meters::add);
    Counted c = counted(id); // at 0 from the start, so a rate over them has a first sample
    group.addAll(List.of(c.applied(), c.batches(), c.retries(), c.parked()));
    return group;
  }

  private Gauge gauge(
      MeterRegistry registry, String name, String description, @Nullable String unit, Tags tags, ProjectionId id,
      ToDoubleFunction<ProjectionStatus> read) {
    return Gauge.builder(name, this, m -> m.value(id, read))
        .description(description).baseUnit(unit).tags(tags).register(registry);
  }

  private double value(ProjectionId id, ToDoubleFunction<ProjectionStatus> read) {
    Map<ProjectionId, ProjectionStatus> all = statuses.get();
    ProjectionStatus s = all == null ? null : all.get(id);
    return s == null ? Double.NaN : read.applyAsDouble(s);
  }

  private double takeovers(ProjectionId id) {
    statuses.get(); // first, outside this object's lock: a poll takes the poll's lock, then this one
    synchronized (this) {
      long[] n = takeovers.get(id);
      return n == null ? 0 : n[0];
    }
  }

  static double lagSeconds(ProjectionStatus s) {
    if (s.state() == ProjectionState.REBUILDING) {
      return Double.NaN;
    }
    return s.lag().toNanos() / 1e9;
  }

  static double rebuildProgress(ProjectionStatus s) {
    if (s.state() != ProjectionState.REBUILDING) {
      return Double.NaN;
    }
    return s.head() <= 0 ? 1 : Math.min(1, (double) s.checkpoint() / s.head());
  }

  static double heldBackSeconds(ProjectionStatus s) {
    Instant since = s.blockedBy() == null ? null : s.blockedBy().since();
    if (since == null) {
      return 0;
    }
    Duration age = Duration.between(since, Instant.now());
    return age.isNegative() ? 0 : age.toNanos() / 1e9;
  }

  @Override
  public String toString() {
    return "ProjectionMetrics[" + Objects.toString(projections) + "]";
  }
}

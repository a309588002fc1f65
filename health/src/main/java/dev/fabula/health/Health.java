package dev.fabula.health;

import dev.fabula.InvalidInputException;
import dev.fabula.internal.Fatal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabula's health, for a liveness probe, a readiness probe and an operator's page, with no
 * framework: a list of {@link HealthIndicator}s, asked together.
 *
 * <pre>{@code
 * HealthConfig config = HealthConfig.DEFAULT.withMaxProjectionLag(Duration.ofSeconds(30));
 * try (Health health = Health.of(config, List.of(
 *     StoreHealth.of(store),                       // readiness: reachable, schema current
 *     ProjectionHealth.of(projections, config),    // readiness: running, within the lag
 *     ProjectionHealth.parked(projections, config),// attention: parked events
 *     SchedulerHealth.pool("emails", pool),        // liveness: the pool's threads alive
 *     SchedulerHealth.of(queue, config),           // attention: failed jobs, the kill switch
 *     JvmHealth.deadlocks()))) {                   // liveness: no deadlocked threads
 *   HealthReport live = health.liveness();         // restart when !live.healthy()
 *   HealthReport ready = health.readiness();       // send no traffic when !ready.healthy()
 *   HealthReport all = health.report();            // everything, for a status page
 * }
 * }</pre>
 *
 * <p><b>How it works.</b> Each call asks the indicators of the kinds it reports, all at once, each
 * on a daemon thread of this object's own, and waits for each at most {@link HealthConfig#timeout()}:
 * a database that does not answer makes its indicator {@link Status#DOWN} ("no answer within 5 s")
 * instead of hanging the probe. An indicator that throws is {@link Status#DOWN} with the error's
 * message, and logged. {@link #liveness()} asks only liveness indicators, which do no I/O.
 *
 * <p>Thread-safe. Close it to stop its threads (an overrunning check is interrupted); a closed
 * one throws {@link dev.fabula.EventStoreException} when asked.
 */
public final class Health implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Health.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final HealthConfig config;
  private final List<HealthIndicator> indicators;
  private final Clock clock;
  private final ExecutorService threads;

  private Health(HealthConfig config, List<HealthIndicator> indicators, Clock clock) {
    this.config = config;
    this.indicators = indicators;
    this.clock = clock;
    int instance = INSTANCES.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fabula-health-" + instance + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A health of these indicators, each asked with {@code config}'s time limit.
   *
   * @throws InvalidInputException if an argument is null, or two indicators share a name
   */
  public static Health of(HealthConfig config, List<HealthIndicator> indicators) {
    if (config == null || indicators == null || indicators.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidInputException("config and indicators must not be null; use HealthConfig.DEFAULT");
    }
    Map<String, HealthIndicator> byName = new LinkedHashMap<>();
    for (HealthIndicator i : indicators) {
      if (byName.putIfAbsent(i.name(), i) != null) {
        throw new InvalidInputException("two health indicators are named '" + i.name() + "'; give each a name of its own");
      }
    }
    return new Health(config, List.copyOf(indicators), Clock.systemUTC());
  }

  /** The liveness checks: the process's own machinery. No I/O. */
  public HealthReport liveness() {
    return ask(List.of(HealthCheck.Kind.LIVENESS));
  }

  /** The readiness checks: store, schema, projections. */
  public HealthReport readiness() {
    return ask(List.of(HealthCheck.Kind.READINESS));
  }

  /** Every check: liveness, readiness and what needs attention. */
  public HealthReport report() {
    return ask(List.of(HealthCheck.Kind.values()));
  }

  private HealthReport ask(List<HealthCheck.Kind> kinds) {
    Instant now = clock.instant();
    List<HealthIndicator> asked = indicators.stream().filter(i -> kinds.contains(i.kind())).toList();
    List<Future<List<HealthCheck>>> answers = new ArrayList<>();
    for (HealthIndicator i : asked) {
      try {
        answers.add(threads.submit(i::check));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        throw new dev.fabula.EventStoreException("this Health is closed; make a new one with Health.of", e);
      }
    }
    long deadline = System.nanoTime() + config.timeout().toNanos();
    List<HealthCheck> checks = new ArrayList<>();
    for (int k = 0; k < asked.size(); k++) {
      checks.addAll(answer(asked.get(k), answers.get(k), deadline));
    }
    return HealthReport.of(checks, now);
  }

  private List<HealthCheck> answer(HealthIndicator indicator, Future<List<HealthCheck>> answer, long deadline) {
    try {
      List<HealthCheck> checks = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return checks == null ? List.of() : checks;
    } catch (TimeoutException e) {
      answer.cancel(true);
      LOG.warn("Health indicator '{}' gave no answer within {}", indicator.name(), config.timeout());
      return List.of(HealthCheck.of(indicator.name(), indicator.kind(), Status.DOWN,
          "no answer within " + pretty(config.timeout()) + " (HealthConfig.timeout)"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer.cancel(true);
      return List.of(HealthCheck.of(indicator.name(), indicator.kind(), Status.DOWN, "interrupted while checking"));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      LOG.warn("Health indicator '{}' failed: {}", indicator.name(), cause.toString(), cause);
      if (Fatal.is(cause)) {
        throw (Error) cause;
      }
      return List.of(HealthCheck.of(indicator.name(), indicator.kind(), Status.DOWN, "the check failed: " + cause.getMessage()));
    }
  }

  static String pretty(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  /** Stops the threads; an overrunning check is interrupted. Harmless twice. */
  @Override
  public void close() {
    threads.shutdownNow();
  }
}

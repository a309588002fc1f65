package dev.fabula.projections.internal;

import dev.fabula.jdbc.spi.Notifications;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionException;
import dev.fabula.projections.ProjectionId;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.RunnerConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProjectionRunner}: one thread per projection ({@link Worker}), one heartbeat thread that
 * renews the leases every third of the lease duration, and on PostgreSQL one LISTEN thread ({@link
 * NotificationListener}) that wakes the workers when other processes append.
 */
final class RunnerImpl implements ProjectionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

  private final ProjectionsImpl projections;
  private final RunnerConfig config;
  private final String owner;
  private final List<Projection> definitions;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private @Nullable ScheduledExecutorService heartbeat;
  private Notifications.@Nullable Subscription listener;
  private boolean started;
  private boolean closed;

  RunnerImpl(ProjectionsImpl projections, RunnerConfig config, List<Projection> definitions) {
    this.projections = projections;
    this.config = config;
    this.owner = config.owner() != null ? config.owner() : generatedOwner();
    this.definitions = List.copyOf(definitions);
  }

  private static String generatedOwner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    String pid = String.valueOf(ProcessHandle.current().pid());
    return host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public synchronized ProjectionRunner start() {
    if (closed) {
      throw new ProjectionException("this projection runner is closed; create a new one with Projections.runner");
    }
    if (started) {
      throw new ProjectionException("this projection runner is already started");
    }
    started = true;
    ProjectionSql sql = projections.sql();
    LOG.info("Projection runner {} starting on {}: {}; poll {} ms, lease {} ms, {} attempts, backoff {}..{} ms, listen {}",
        owner, sql.db().dialectName(), definitions, config.pollInterval().toMillis(),
        config.leaseDuration().toMillis(), config.maxAttempts(), config.initialBackoff().toMillis(),
        config.maxBackoff().toMillis(), config.listen() && sql.db().notifications().available());
    for (Projection p : definitions) {
      sql.write("registering projection " + p.id(), h -> {
        sql.register(h, p);
        return null;
      });
    }
    for (Projection p : definitions) {
      String thread = "fabula-projection-" + p.name() + "-v" + p.version();
      if (!projections.segments().segment(p.id(), p.segments())) {
        add(new Worker(projections, config, owner, p, null), thread);
        continue;
      }
      // A segmented projection: threads that each claim one segment no runner holds, and work it.
      LOG.info("Projection {} runs as segments: up to {} of them on this runner", p.id(), config.segmentThreads());
      for (int i = 1; i <= config.segmentThreads(); i++) {
        add(new Worker(projections, config, owner + "#" + i, p, projections.segments().sql()), thread + "-" + i);
      }
    }
    long beat = Math.max(1, config.leaseDuration().toMillis() / 3);
    ScheduledExecutorService hb = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fabula-projections-heartbeat");
      t.setDaemon(true);
      return t;
    });
    hb.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    heartbeat = hb;
    Notifications notifications = sql.db().notifications();
    if (config.listen() && notifications.available()) {
      listener = notifications.listen(notifications.channel("events"), config.listenCheckInterval(),
          config.listenDataSource(), "fabula-projections-listen", () -> workers.forEach(Worker::eventsAppended));
    }
    threads.forEach(Thread::start);
    return this;
  }

  private void add(Worker w, String threadName) {
    workers.add(w);
    projections.attach(w);
    Thread t = new Thread(w, threadName);
    t.setDaemon(true);
    threads.add(t);
  }

  /**
   * Renews the leases of the live workers. Catches every {@code Throwable}: a task of a scheduled
   * executor that throws is never run again, silently, and then every lease of this runner would
   * run out. A failed renewal is tried again at the next beat; a worker whose lease runs out
   * meanwhile stops applying ({@link Lease#expired}).
   */
  private void heartbeat() {
    for (Worker w : workers) {
      try {
        w.heartbeat();
      } catch (Throwable e) {
        LOG.error("Projection {}: renewing its lease failed ({}); trying again in a third of the lease", w.id(),
            e.toString(), e);
      }
    }
  }

  @Override
  public String owner() {
    return owner;
  }

  @Override
  public List<ProjectionId> projections() {
    return definitions.stream().map(Projection::id).toList();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    workers.forEach(Worker::stop);
    long deadline = System.nanoTime() + config.leaseDuration().toNanos();
    for (Thread t : threads) {
      try {
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (t.isAlive()) {
          LOG.warn("Projection thread {} did not finish its batch within the lease duration; interrupting it", t.getName());
          t.interrupt();
          t.join(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.forEach(projections::detach);
    if (heartbeat != null) {
      heartbeat.shutdownNow();
    }
    if (listener != null) {
      listener.close();
    }
    if (started) {
      LOG.info("Projection runner {} stopped", owner);
    }
  }
}

package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.ReadReplica;
import dev.fabula.testkit.postgres.ReplicatedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * A projection that reads its events from a hot standby while writers append on the primary:
 * never a skipped or reordered event, its checkpoint and read model on the primary, and the lag
 * the replica adds measured against a projection on the primary in the same run (printed as
 * RESULT lines; figures from a busy machine, never asserted).
 */
@EnabledIf("dev.fabula.testkit.postgres.ReplicatedPostgres#canRunHere")
class ReplicaProjectionPostgresTest {
  private static final int WRITERS = 4;
  private static final int APPENDS_PER_WRITER = 100;
  private static final int STREAMS = 40;
  private static final RunnerConfig RUNNER = RunnerConfig.DEFAULT;

  /** What one projection saw: each event's arrival time, and any broken invariant. */
  private static final class Seen {
    final Map<Long, Long> arrivedNanos = new ConcurrentHashMap<>();
    final List<Long> order = new ArrayList<>();
    final Map<String, Long> versions = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    long last;

    TransactionalHandler handler(String table) {
      return (h, events) -> {
        long now = System.nanoTime();
        for (RecordedEvent e : events) {
          if (e.position() <= last) {
            violations.add("position " + e.position() + " after " + last);
          }
          long expected = versions.getOrDefault(e.streamId(), 0L) + 1;
          if (e.streamVersion() != expected) {
            violations.add(e.streamId() + " version " + e.streamVersion() + ", expected " + expected);
          }
          versions.put(e.streamId(), e.streamVersion());
          last = e.position();
          order.add(e.position());
          arrivedNanos.putIfAbsent(e.position(), now);
          h.execute("INSERT INTO " + table + " (position) VALUES (?)", e.position());
        }
      };
    }
  }

  @Test
  void a_projection_reading_from_the_standby_never_skips_or_reorders_under_concurrent_writers() throws Exception {
    long begun = System.nanoTime();
    try (ReplicatedPostgres pg = ReplicatedPostgres.start();
        JdbcEventStore primary = JdbcEventStore.open(pg.primary().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
            JdbcConfig.DEFAULT.withMigrateOnOpen(true));
        JdbcEventStore replicated = JdbcEventStore.open(pg.primary().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
            JdbcConfig.DEFAULT.withMigrateOnOpen(true).withReadReplica(ReadReplica.of(pg.standby().jdbcUrlWithCredentials())))) {
      System.out.printf("replica test: servers and stores up after %d ms%n", (System.nanoTime() - begun) / 1_000_000);
      primary.jdbi().useHandle(h -> {
        h.execute("CREATE TABLE on_replica (position BIGINT PRIMARY KEY)");
        h.execute("CREATE TABLE on_primary (position BIGINT PRIMARY KEY)");
      });
      Seen fromReplica = new Seen();
      Seen fromPrimary = new Seen();
      Projection replicaProjection = Projection.transactional("from-replica", fromReplica.handler("on_replica"));
      Projection primaryProjection = Projection.transactional("from-primary", fromPrimary.handler("on_primary"));
      Projections onReplica = Projections.open(replicated);
      Projections onPrimary = Projections.open(primary);
      Map<Long, Long> committedNanos = new ConcurrentHashMap<>();
      long started;
      long lastPosition = 0;
      try (ProjectionRunner r1 = onReplica.runner(RUNNER, List.of(replicaProjection)).start();
          ProjectionRunner r2 = onPrimary.runner(RUNNER, List.of(primaryProjection)).start()) {
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Long>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          // the writers append through the replicated store: writes go to the primary
          done.add(writers.submit(() -> write(replicated, go, committedNanos)));
        }
        started = System.nanoTime();
        go.countDown();
        for (Future<Long> f : done) {
          lastPosition = Math.max(lastPosition, f.get(60, TimeUnit.SECONDS));
        }
        writers.shutdown();
        onReplica.awaitPosition(replicaProjection.id(), lastPosition, Duration.ofSeconds(30));
        onPrimary.awaitPosition(primaryProjection.id(), lastPosition, Duration.ofSeconds(30));
      }
      long elapsed = System.nanoTime() - started;

      List<Long> log;
      try (var all = primary.readAll(LogQuery.all())) {
        log = all.map(RecordedEvent::position).toList();
      }
      assertThat(fromReplica.violations).as("broken invariants on the replica").isEmpty();
      assertThat(fromPrimary.violations).isEmpty();
      assertThat(fromReplica.order).as("every event, in log order, once").isEqualTo(log);
      assertThat(fromPrimary.order).isEqualTo(log);
      long rows = primary.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM on_replica").mapTo(Long.class).one());
      assertThat(rows).as("the read model is on the primary").isEqualTo(log.size());
      assertThat(onReplica.status(replicaProjection.id()).checkpoint()).as("its checkpoint too").isEqualTo(lastPosition);

      report("primary", fromPrimary, committedNanos);
      report("replica", fromReplica, committedNanos);
      System.out.printf("RESULT replica_test_events %d events%n", log.size());
      System.out.printf("RESULT replica_test_writing_time %.0f ms%n", elapsed / 1e6);
    }
  }

  /** Appends of 1 to 3 events to random streams; every fifth in a transaction held open a while. */
  private static long write(JdbcEventStore store, CountDownLatch go, Map<Long, Long> committedNanos) throws Exception {
    go.await();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long last = 0;
    for (int i = 0; i < APPENDS_PER_WRITER; i++) {
      String stream = "s-" + random.nextInt(STREAMS);
      List<EventData> events = new ArrayList<>();
      for (int n = random.nextInt(1, 4); n > 0; n--) {
        events.add(EventData.json("x", 1, store.types().mapper().createObjectNode().put("i", i)));
      }
      AppendResult r;
      if (i % 5 == 0) {
        // mostly short; every twentieth long enough for many later appends to commit meanwhile
        long hold = i % 20 == 0 ? random.nextLong(30_000_000, 80_000_000) : random.nextLong(2_000_000, 20_000_000);
        r = store.inTransaction(tx -> {
          AppendResult inTx = tx.append(stream, ExpectedVersion.any(), events);
          LockSupport.parkNanos(hold); // commits after later positions: the case the horizon exists for
          return inTx;
        });
      } else {
        r = store.append(stream, ExpectedVersion.any(), events);
      }
      long now = System.nanoTime();
      for (long p = r.lastPosition() - events.size() + 1; p <= r.lastPosition(); p++) {
        committedNanos.put(p, now);
      }
      last = Math.max(last, r.lastPosition());
      LockSupport.parkNanos(random.nextLong(1_000_000, 4_000_000)); // a steady flow the runners keep up with
    }
    return last;
  }

  private static void report(String name, Seen seen, Map<Long, Long> committedNanos) {
    long[] lags = seen.order.stream()
        .mapToLong(p -> Math.max(0, seen.arrivedNanos.get(p) - committedNanos.getOrDefault(p, seen.arrivedNanos.get(p))))
        .sorted()
        .toArray();
    System.out.printf("RESULT replica_test_%s_lag_p50 %.2f ms%n", name, percentile(lags, 50) / 1e6);
    System.out.printf("RESULT replica_test_%s_lag_p99 %.2f ms%n", name, percentile(lags, 99) / 1e6);
    System.out.printf("RESULT replica_test_%s_lag_max %.2f ms%n", name, (lags.length == 0 ? 0 : lags[lags.length - 1]) / 1e6);
  }

  private static long percentile(long[] sorted, int p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}

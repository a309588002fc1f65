package dev.fabula.examples.benchmarks;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Reads from a hot standby against reads from the primary, on a primary and standby this workload
 * starts on this machine ({@link ReplicatedPostgres}), in the same run:
 *
 * <ul>
 *   <li>catch-up: the whole log read with {@code readAll}, from the primary and from the replica
 *       ({@code replica.read.log.events_per_s}, with the primary's figure as its raw baseline);
 *   <li>a read of your own append: append one event, then read the log after it, from each side
 *       ({@code replica.read_own_append.p50_ms}/{@code p99_ms}): the sync point and the wait for
 *       replay are what the replica adds;
 *   <li>tailing lag: writer threads append while a tail on each side reads what is new; from an
 *       append's acknowledgement to the tail seeing it ({@code replica.tail_lag.p50_ms}/{@code
 *       p99_ms}).
 * </ul>
 *
 * <pre>
 * mvn -B -q -pl examples/benchmarks -am compile exec:java \
 *     -Dexec.mainClass=dev.fabula.examples.benchmarks.ReplicaWorkload -Dexec.args="--events 100000"
 * </pre>
 *
 * Options: {@code --events N} in the log for the catch-up read (default 100000), {@code
 * --own-reads N} appends read back on each side (default 500), {@code --tail-seconds N} (default
 * 5) with {@code --writers N} threads (default 4). Prints {@code RESULT <name> <value> <unit>}
 * lines.
 */
public final class ReplicaWorkload {
  private ReplicaWorkload() {}

  /** Runs the workload. */
  public static void main(String[] args) throws Exception {
    int events = intOption(args, "--events", 100_000);
    int ownReads = intOption(args, "--own-reads", 500);
    int tailSeconds = intOption(args, "--tail-seconds", 5);
    int writers = intOption(args, "--writers", 4);
    List<Result> results = new ArrayList<>();
    try (ReplicatedPostgres pg = ReplicatedPostgres.start();
        JdbcEventStore primary = JdbcEventStore.open(pg.primary().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
            JdbcConfig.DEFAULT.withMigrateOnOpen(true));
        JdbcEventStore replica = JdbcEventStore.open(pg.primary().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
            JdbcConfig.DEFAULT.withReadReplica(ReadReplica.of(pg.standby().jdbcUrlWithCredentials())))) {
      fill(primary, events);
      readAll(primary);
      readAll(replica); // warm-up, and the standby has replayed the fill
      double fromPrimary = 0;
      double fromReplica = 0;
      for (int round = 0; round < 3; round++) {
        fromPrimary = Math.max(fromPrimary, readAll(primary));
        fromReplica = Math.max(fromReplica, readAll(replica));
      }
      results.add(Result.vsRaw("replica.read.log.events_per_s", fromReplica, fromPrimary, "events/s"));

      long[] ownPrimary = readOwnAppends(primary, primary, ownReads);
      long[] ownReplica = readOwnAppends(replica, replica, ownReads);
      results.add(Result.vsRaw("replica.read_own_append.p50_ms", ms(pct(ownReplica, 50)), ms(pct(ownPrimary, 50)), "ms"));
      results.add(Result.vsRaw("replica.read_own_append.p99_ms", ms(pct(ownReplica, 99)), ms(pct(ownPrimary, 99)), "ms"));

      long[][] lags = tail(primary, replica, writers, tailSeconds);
      results.add(Result.vsRaw("replica.tail_lag.p50_ms", ms(pct(lags[1], 50)), ms(pct(lags[0], 50)), "ms"));
      results.add(Result.vsRaw("replica.tail_lag.p99_ms", ms(pct(lags[1], 99)), ms(pct(lags[0], 99)), "ms"));
      results.add(Result.of("replica.tail_events", lags[1].length, "events"));
    }
    for (Result r : results) {
      System.out.println(String.format(Locale.ROOT, "RESULT %s %.3f %s", r.name(), r.value(), r.unit()));
      if (r.raw() > 0) {
        System.out.println(String.format(Locale.ROOT, "RESULT %s.vs_raw %.3f x", r.name(), r.value() / r.raw()));
      }
    }
  }

  private static void fill(JdbcEventStore store, int events) {
    for (int done = 0; done < events; done += 1000) {
      List<EventData> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(1000, events - done); i++) {
        batch.add(EventData.json("Filled", 1, store.types().mapper().createObjectNode().put("i", done + i)));
      }
      store.append("fill-" + done, ExpectedVersion.noStream(), batch);
    }
  }

  private static double readAll(JdbcEventStore store) {
    long start = System.nanoTime();
    long n;
    try (Stream<RecordedEvent> all = store.readAll(LogQuery.all())) {
      n = all.count();
    }
    return n / ((System.nanoTime() - start) / 1e9);
  }

  /** Appends one event on {@code writer}, then times reading the log after it on {@code reader}. */
  private static long[] readOwnAppends(JdbcEventStore writer, JdbcEventStore reader, int count) {
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      AppendResult r = writer.append("own-" + System.nanoTime(), ExpectedVersion.noStream(),
          List.of(EventData.json("Own", 1, writer.types().mapper().createObjectNode().put("i", i))));
      long start = System.nanoTime();
      try (Stream<RecordedEvent> after = reader.readAll(LogQuery.after(r.lastPosition() - 1).limit(1))) {
        if (after.findFirst().isEmpty()) {
          throw new IllegalStateException("read " + i + " missed its own append at " + r.lastPosition());
        }
      }
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  /** Writers append for {@code seconds}; a tail on each store records when it saw each event. */
  private static long[][] tail(JdbcEventStore primary, JdbcEventStore replica, int writers, int seconds) throws Exception {
    Map<Long, Long> acked = new ConcurrentHashMap<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    long from = primary.headPosition();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      threads.add(start(() -> {
        int i = 0;
        while (writing.get()) {
          AppendResult r = primary.append("tail-" + id + "-" + (i++ % 50), ExpectedVersion.any(),
              List.of(EventData.json("Tail", 1, primary.types().mapper().createObjectNode().put("i", i))));
          acked.put(r.lastPosition(), System.nanoTime());
        }
      }));
    }
    Tail onPrimary = new Tail(primary, from);
    Tail onReplica = new Tail(replica, from);
    Thread t1 = start(onPrimary);
    Thread t2 = start(onReplica);
    LockSupport.parkNanos(seconds * 1_000_000_000L);
    writing.set(false);
    for (Thread t : threads) {
      t.join();
    }
    long last = primary.headPosition();
    onPrimary.until = last;
    onReplica.until = last;
    t1.join();
    t2.join();
    System.out.printf(Locale.ROOT, "tail: %d appends acknowledged, the primary's tail saw %d events, the replica's %d%n",
        acked.size(), onPrimary.seen.size(), onReplica.seen.size());
    return new long[][] {onPrimary.lags(acked), onReplica.lags(acked)};
  }

  private static Thread start(Runnable work) {
    Thread t = new Thread(work);
    t.start();
    return t;
  }

  /** Reads what is new after its last position until it has seen {@link #until}. */
  private static final class Tail implements Runnable {
    private final JdbcEventStore store;
    private final Map<Long, Long> seen = new ConcurrentHashMap<>();
    private long after;
    volatile long until = Long.MAX_VALUE;

    Tail(JdbcEventStore store, long after) {
      this.store = store;
      this.after = after;
    }

    @Override
    public void run() {
      while (after < until) {
        long before = after;
        try (Stream<RecordedEvent> next = store.readAll(LogQuery.after(after).limit(1000))) {
          long now = System.nanoTime();
          for (var it = next.iterator(); it.hasNext(); ) {
            RecordedEvent e = it.next();
            seen.put(e.position(), now);
            after = e.position();
          }
        }
        if (after == before) {
          LockSupport.parkNanos(100_000); // nothing new: poll again soon
        }
      }
    }

    long[] lags(Map<Long, Long> acked) {
      return seen.entrySet().stream()
          .filter(e -> acked.containsKey(e.getKey()))
          .mapToLong(e -> Math.max(0, e.getValue() - acked.get(e.getKey())))
          .sorted()
          .toArray();
    }
  }

  private static long pct(long[] sorted, int p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}

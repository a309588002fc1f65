package dev.fabula.examples.benchmarks;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cost growth: single-event appends and stream reads on an empty store and on the same store once
 * it holds {@code largeEvents} events (tables of their own, prefix {@code growth_}). The probe
 * streams (100 streams of 20 events) are written first; the fill then appends batches of 1,000
 * events to streams of their own (4 threads on PostgreSQL, one on SQLite), through the store's
 * batch append. Each phase appends one event to each probe stream in turn ({@code appends} in all,
 * one thread) and reads whole probe streams ({@code reads}). Figures: {@code
 * <p>.growth.append.single.{empty,large}.events_per_s}, {@code <p>.growth.read.stream.{empty,large}
 * .reads_per_s} and each {@code .large_vs_empty} ratio (1.0: no growth). Opt-in, because building
 * ten million events takes minutes: {@code --growth-events N} in {@link Benchmarks}.
 */
public final class GrowthWorkload {
  private static final int PROBE_STREAMS = 100;
  private static final int PROBE_LENGTH = 20;
  private static final int FILL_BATCH = 1_000;

  private GrowthWorkload() {}

  /**
   * Runs alone on {@code sqlite} (a new file in a temporary folder) or {@code pg} (the embedded
   * durable server): {@code <sqlite|pg> <events>}; prints the figures.
   *
   * <pre>
   * mvn -B -q -pl examples/benchmarks -am compile exec:java \
   *     -Dexec.mainClass=dev.fabula.examples.benchmarks.GrowthWorkload -Dexec.args="sqlite 2000000"
   * </pre>
   */
  public static void main(String[] args) throws Exception {
    long events = Long.parseLong(args[1].replace("_", ""));
    Backend backend;
    if (args[0].equals("pg")) {
      dev.fabula.testkit.postgres.PostgresServer server = dev.fabula.testkit.postgres.PostgresServer.durable();
      backend = new Backend("pg", server.createDatabase().jdbcUrlWithCredentials(), String.valueOf(server.settings()));
    } else {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("fabula-growth");
      backend = new Backend("sqlite", "jdbc:sqlite:" + dir.resolve("growth.db"), "synchronous=FULL");
    }
    Benchmarks.print(run(backend, events, 400, 2_000));
  }

  static List<Result> run(Backend backend, long largeEvents, int appends, int reads) throws Exception {
    String p = backend.prefix() + ".growth";
    try (JdbcEventStore store = JdbcEventStore.open(backend.url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("growth_").withMaxPoolSize(8))) {
      for (int s = 0; s < PROBE_STREAMS; s++) {
        List<EventData> events = new ArrayList<>(PROBE_LENGTH);
        for (int i = 0; i < PROBE_LENGTH; i++) {
          events.add(EventData.json("reading-recorded", 1, FoundationWorkload.payload(i)));
        }
        store.append("probe-" + s, ExpectedVersion.noStream(), events);
      }
      long[] versions = new long[PROBE_STREAMS];
      java.util.Arrays.fill(versions, PROBE_LENGTH);
      appendRate(store, versions, appends); // warm-up, as long as the measurement: the JIT is cold here
      readRate(store, reads);
      double emptyAppends = appendRate(store, versions, appends);
      double emptyReads = readRate(store, reads);

      long started = System.nanoTime();
      fill(store, backend.isPostgres() ? 4 : 1, largeEvents);
      System.out.printf("   growth: filled %,d events in %.0f s%n", store.headPosition(), (System.nanoTime() - started) / 1e9);
      try (var c = backend.connect(); var st = c.createStatement()) {
        st.execute("ANALYZE"); // as autovacuum would have
      }
      appendRate(store, versions, appends / 4);
      readRate(store, reads / 4);
      double largeAppends = appendRate(store, versions, appends);
      double largeReads = readRate(store, reads);

      long held = store.headPosition();
      List<Result> out = new ArrayList<>();
      out.add(Result.of(p + ".events_held", held, "events"));
      out.add(Result.of(p + ".append.single.empty.events_per_s", emptyAppends, "events/s"));
      out.add(Result.of(p + ".append.single.large.events_per_s", largeAppends, "events/s"));
      out.add(Result.of(p + ".append.single.large_vs_empty", largeAppends / emptyAppends, "x"));
      out.add(Result.of(p + ".read.stream.empty.reads_per_s", emptyReads, "reads/s"));
      out.add(Result.of(p + ".read.stream.large.reads_per_s", largeReads, "reads/s"));
      out.add(Result.of(p + ".read.stream.large_vs_empty", largeReads / emptyReads, "x"));
      return out;
    }
  }

  private static double appendRate(JdbcEventStore store, long[] versions, int appends) {
    long start = System.nanoTime();
    for (int i = 0; i < appends; i++) {
      int s = i % PROBE_STREAMS;
      store.append("probe-" + s, ExpectedVersion.exactly(versions[s]),
          List.of(EventData.json("reading-recorded", 1, FoundationWorkload.payload(i))));
      versions[s]++;
    }
    return FoundationWorkload.perSecond(appends, start);
  }

  private static double readRate(JdbcEventStore store, int reads) {
    long start = System.nanoTime();
    long events = 0;
    for (int i = 0; i < reads; i++) {
      events += store.readStream("probe-" + (i * 7 % PROBE_STREAMS)).size();
    }
    if (events < (long) reads * PROBE_LENGTH) {
      throw new IllegalStateException("a probe stream read came back short");
    }
    return FoundationWorkload.perSecond(reads, start);
  }

  /** Appends batches of 1,000 events to streams of their own until the store holds {@code total}. */
  private static void fill(JdbcEventStore store, int threads, long total) throws Exception {
    long batches = Math.max(0, (total - store.headPosition()) / FILL_BATCH);
    AtomicLong next = new AtomicLong();
    FoundationWorkload.concurrently(threads, t -> {
      for (long b; (b = next.getAndIncrement()) < batches; ) {
        List<EventData> events = new ArrayList<>(FILL_BATCH); // new event ids every batch
        for (int i = 0; i < FILL_BATCH; i++) {
          events.add(EventData.json("token-purchased", 1, FoundationWorkload.payload(i)));
        }
        store.append("growth-fill-" + b, ExpectedVersion.noStream(), events);
      }
    }, batches);
  }
}

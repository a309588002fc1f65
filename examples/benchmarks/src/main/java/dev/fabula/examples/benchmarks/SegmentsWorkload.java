package dev.fabula.examples.benchmarks;

import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.AtLeastOnceHandler;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Projection catch-up with 1, 2 and 4 segments (docs/segments.md), one runner with a thread per
 * segment, over {@code events} events in 1,000 streams, next to a plain {@code readAll} of them in
 * the same run (the raw limit). Two handlers: a trivial one (the log read and the checkpoints are
 * the whole cost, so segments, which each read the log, do not help), and one that waits {@code
 * WORK} per event outside the database, as a call to another system does (the handler is the
 * cost, which segments divide). Figures: {@code <p>.projection.segments_<n>.<handler>.events_per_s},
 * with the raw read rate as the raw limit, and the same per core of this machine.
 */
final class SegmentsWorkload {
  /** Per-event work of the "remote" handler. */
  static final Duration WORK = Duration.ofNanos(200_000);

  private SegmentsWorkload() {}

  static List<Result> run(Backend backend, JdbcEventStore store, int events) {
    fill(store, events);
    long started = System.nanoTime();
    long n;
    try (Stream<RecordedEvent> all = store.readAll(LogQuery.all())) {
      n = all.count();
    }
    double raw = n / seconds(started);
    long head = store.headPosition();
    int cores = Runtime.getRuntime().availableProcessors();
    List<Result> results = new ArrayList<>();
    Projections projections = Projections.open(store);
    for (String kind : List.of("trivial", "remote")) {
      for (int segments : new int[] {1, 2, 4}) {
        AtomicLong applied = new AtomicLong();
        String name = "segments-" + kind + "-" + segments + "-" + Long.toHexString(System.nanoTime());
        Projection p = Projection.atLeastOnce(name, AtLeastOnceHandler.eachEvent(e -> {
          if (kind.equals("remote")) {
            LockSupport.parkNanos(WORK.toNanos());
          }
          applied.incrementAndGet();
        })).withBatchSize(500).withSegments(segments);
        started = System.nanoTime();
        try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT.withSegmentThreads(segments), List.of(p)).start()) {
          projections.awaitPosition(p.id(), head, Duration.ofHours(1));
        }
        double rate = n / seconds(started);
        String key = backend.prefix() + ".projection.segments_" + segments + "." + kind;
        results.add(Result.vsRaw(key + ".events_per_s", rate, raw, "events/s"));
        results.add(Result.of(key + ".events_per_s_per_core", rate / cores, "events/s"));
      }
    }
    return results;
  }

  /** Appends until the log holds {@code events} events, in 1,000 streams (not timed). */
  private static void fill(JdbcEventStore store, int events) {
    long have;
    try (Stream<RecordedEvent> all = store.readAll(LogQuery.all())) {
      have = all.count();
    }
    int perStream = Math.max(1, events / 1_000);
    for (int round = 0; have < events; round++) {
      List<StreamAppend> appends = new ArrayList<>();
      for (int s = 0; s < 1_000 && have < events; s++) {
        List<EventData> batch = new ArrayList<>();
        for (int i = 0; i < perStream && have < events; i++, have++) {
          batch.add(EventData.json("ticked", 1, FoundationWorkload.payload(have)));
        }
        appends.add(new StreamAppend("seg-" + s, round == 0 ? ExpectedVersion.noStream() : ExpectedVersion.any(), batch));
      }
      store.appendAll(appends);
    }
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}

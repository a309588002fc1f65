package dev.fabula.examples.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.Aggregate;
import dev.fabula.AggregateRepository;
import dev.fabula.AggregateState;
import dev.fabula.Decision;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.RawEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * How long loading one aggregate takes from a 100-event and from a 100,000-event stream, with
 * snapshots every 100 events and without. With snapshots a load reads the stream's version, the
 * snapshot, and the events after it (none here), so both lengths should cost about the same;
 * without, a load replays the whole stream.
 *
 * <p>The workload builds two new streams in the given store, 100 events per append, and loads the
 * aggregate after every append through a repository with {@code SnapshotPolicy.everyEvents(100)},
 * which saves a snapshot at each multiple of 100 as an application's loads would. It then times
 * loads (after a few warm-up loads) and returns the median of each case. The events are {@link
 * RawEvent}s of a type the store need not register; the streams stay in the store (new ids each
 * run). It prints nothing.
 */
public final class SnapshotWorkload {

  /** Stream lengths measured. */
  static final int SHORT = 100;
  static final int LONG = 100_000;
  /** Events per append while building, and the snapshot interval. */
  static final int BATCH = 100;

  private SnapshotWorkload() {}

  /**
   * One measured case.
   *
   * @param name what was measured, such as {@code load 100000-event stream, snapshots every 100}
   * @param streamLength the stream's number of events
   * @param snapshots whether the repository read snapshots
   * @param loads how many timed loads the median is of
   * @param medianLoadTime the median time of one load
   */
  public record Result(String name, int streamLength, boolean snapshots, int loads, Duration medianLoadTime) {}

  /** The aggregate loaded: a running count and sum of the events' numbers. */
  record Tally(long count, long sum) {}

  /** An aggregate over {@link RawEvent}s, so that the store needs no registered types. */
  static final class TallyAggregate implements Aggregate<Tally, Object, RawEvent> {
    @Override
    public String category() {
      return "snapbench";
    }

    @Override
    public Class<Tally> stateType() {
      return Tally.class;
    }

    @Override
    public Class<RawEvent> eventType() {
      return RawEvent.class;
    }

    @Override
    public Tally initialState() {
      return new Tally(0, 0);
    }

    @Override
    public Tally evolve(Tally state, RawEvent event) {
      return new Tally(state.count() + 1, state.sum() + event.payload().get("n").asLong());
    }

    @Override
    public Decision<RawEvent> decide(Tally state, Object command) {
      return Decision.reject("read-only", "the benchmark aggregate takes no commands");
    }
  }

  /**
   * Runs the workload on {@code store} (SQLite or PostgreSQL); creates the snapshot table if needed.
   *
   * @return four results: 100 and 100,000 events, each with and without snapshots
   */
  public static List<Result> run(JdbcEventStore store) {
    TallyAggregate aggregate = new TallyAggregate();
    AggregateRepository<Tally, Object, RawEvent> withSnapshots = AggregateRepository.of(store, aggregate,
        RepositoryConfig.DEFAULT.withSnapshots(JdbcSnapshotStore.open(store), SnapshotPolicy.everyEvents(BATCH)));
    AggregateRepository<Tally, Object, RawEvent> withoutSnapshots = AggregateRepository.of(store, aggregate);
    String run = UUID.randomUUID().toString().substring(0, 8);

    String shortId = run + "-short";
    String longId = run + "-long";
    build(store, withSnapshots, shortId, SHORT);
    build(store, withSnapshots, longId, LONG);

    List<Result> results = new ArrayList<>();
    results.add(measure(withSnapshots, shortId, SHORT, true, 5, 50));
    results.add(measure(withSnapshots, longId, LONG, true, 5, 50));
    results.add(measure(withoutSnapshots, shortId, SHORT, false, 5, 50));
    results.add(measure(withoutSnapshots, longId, LONG, false, 1, 5));
    return results;
  }

  /** Appends {@code length} events, {@link #BATCH} at a time, loading after each append. */
  private static void build(JdbcEventStore store, AggregateRepository<Tally, Object, RawEvent> repository, String id, int length) {
    String streamId = repository.streamId(id);
    for (int first = 1; first <= length; first += BATCH) {
      List<EventData> batch = new ArrayList<>(BATCH);
      for (int n = first; n < first + BATCH && n <= length; n++) {
        batch.add(EventData.json("bench-counted", 1, JsonNodeFactory.instance.objectNode().put("n", n)));
      }
      store.append(streamId, first == 1 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(first - 1), batch);
      repository.load(id);
    }
  }

  private static Result measure(AggregateRepository<Tally, Object, RawEvent> repository, String id, int length,
      boolean snapshots, int warmUps, int loads) {
    for (int i = 0; i < warmUps; i++) {
      check(repository.load(id), length);
    }
    long[] nanos = new long[loads];
    for (int i = 0; i < loads; i++) {
      long start = System.nanoTime();
      AggregateState<Tally> loaded = repository.load(id);
      nanos[i] = System.nanoTime() - start;
      check(loaded, length);
    }
    Arrays.sort(nanos);
    String name = "load " + length + "-event stream, " + (snapshots ? "snapshots every " + BATCH : "no snapshots");
    return new Result(name, length, snapshots, loads, Duration.ofNanos(nanos[loads / 2]));
  }

  private static void check(AggregateState<Tally> loaded, int length) {
    long expectedSum = (long) length * (length + 1) / 2;
    if (loaded.version() != length || loaded.state().count() != length || loaded.state().sum() != expectedSum) {
      throw new IllegalStateException("loaded " + loaded + " but expected " + length + " events summing to " + expectedSum);
    }
  }
}

package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The concurrency contract of an {@link EventStore}: many threads appending at once lose nothing,
 * duplicate nothing and keep versions gapless, and a reader that follows the global log by its last
 * position never sees it reorder and never skips an event that commits late. Run it with a subclass
 * that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 *
 * <p>The load is {@link #threads()} threads of {@link #appendsPerThread()} appends each (8 × 200);
 * a slow backend may lower the second, but should keep at least 8 threads.
 */
public abstract class EventStoreConcurrencyContract extends StoreContractSupport {

  /** How long any one concurrent test may take before it fails. */
  private static final long TIMEOUT_SECONDS = 90;

  /** How often one append may lose a race before the test gives up on the backend. */
  private static final int MAX_ATTEMPTS = 10_000;

  /** Writer threads per test. */
  protected int threads() {
    return 8;
  }

  /** Appends per writer thread. */
  protected int appendsPerThread() {
    return 200;
  }

  /**
   * An acknowledged event: its append returned, so it must be stored exactly once.
   *
   * @param eventId the event
   * @param streamId its stream
   * @param version the version its append result gave it
   */
  private record Ack(UUID eventId, String streamId, long version) {}

  @Test
  void concurrent_appends_with_exact_versions_to_one_stream_lose_and_duplicate_nothing() {
    EventStore store = store();
    List<List<Ack>> acks =
        runConcurrently(
            threads(),
            thread ->
                () -> {
                  List<Ack> mine = new ArrayList<>();
                  for (int i = 0; i < appendsPerThread(); i++) {
                    EventData event = note("t" + thread + "-" + i);
                    for (int attempt = 1; ; attempt++) {
                      long version = store.streamInfo("hot-1").map(StreamInfo::version).orElse(0L);
                      try {
                        AppendResult r =
                            store.append("hot-1", ExpectedVersion.exactly(version), List.of(event));
                        assertThat(r.firstVersion())
                            .as("version given to an append expecting %d", version)
                            .isEqualTo(version + 1);
                        mine.add(new Ack(event.eventId(), "hot-1", r.firstVersion()));
                        break;
                      } catch (ConcurrencyException lost) {
                        assertThat(lost.actualVersion())
                            .as("actual version reported to a writer that expected %d", version)
                            .isNotEqualTo(version);
                        if (attempt == MAX_ATTEMPTS) {
                          throw new AssertionError(
                              "thread " + thread + " lost " + MAX_ATTEMPTS + " races in a row",
                              lost);
                        }
                      }
                    }
                  }
                  return mine;
                });

    assertOneStreamHoldsExactly(store, "hot-1", flatten(acks));
  }

  @Test
  void concurrent_appends_with_any_to_one_stream_lose_and_duplicate_nothing() {
    EventStore store = store();
    List<List<Ack>> acks =
        runConcurrently(
            threads(),
            thread ->
                () -> {
                  List<Ack> mine = new ArrayList<>();
                  for (int i = 0; i < appendsPerThread(); i++) {
                    List<EventData> batch =
                        i % 4 == 0
                            ? notes("t" + thread + "-" + i + "-", 3)
                            : notes("t" + thread + "-" + i);
                    mine.addAll(
                        acksOf(
                            "hot-1", store.append("hot-1", ExpectedVersion.any(), batch), batch));
                  }
                  return mine;
                });

    assertOneStreamHoldsExactly(store, "hot-1", flatten(acks));
  }

  @Test
  void concurrent_appends_to_many_streams_lose_and_duplicate_nothing() {
    EventStore store = store();
    int streams = 24;
    List<List<Ack>> acks =
        runConcurrently(
            threads(),
            thread ->
                () -> {
                  List<Ack> mine = new ArrayList<>();
                  for (int i = 0; i < appendsPerThread(); i++) {
                    String stream = "many-" + (thread * 7 + i) % streams;
                    List<EventData> batch = notes("t" + thread + "-" + i + "-", 1 + i % 3);
                    mine.addAll(
                        acksOf(stream, store.append(stream, ExpectedVersion.any(), batch), batch));
                  }
                  return mine;
                });

    assertStoreHoldsExactly(store, flatten(acks));
  }

  @Test
  void concurrent_multi_stream_appends_in_different_orders_lose_nothing_and_never_deadlock() {
    EventStore store = store();
    int streams = 12;
    List<List<Ack>> acks =
        runConcurrently(
            threads(),
            thread ->
                () -> {
                  List<Ack> mine = new ArrayList<>();
                  for (int i = 0; i < appendsPerThread() / 4; i++) {
                    List<String> picked = new ArrayList<>();
                    for (int k = 0; k < 4; k++) {
                      picked.add("multi-" + (thread * 5 + i * 3 + k * 4) % streams);
                    }
                    List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(picked));
                    if (thread % 2 == 1) {
                      java.util.Collections.reverse(distinct);
                    }
                    List<StreamAppend> appends = new ArrayList<>();
                    for (String stream : distinct) {
                      appends.add(new StreamAppend(stream, ExpectedVersion.any(), notes("m" + thread + "-" + i + "-", 1 + i % 2)));
                    }
                    List<AppendResult> results = store.appendAll(appends);
                    for (int k = 0; k < appends.size(); k++) {
                      mine.addAll(acksOf(appends.get(k).streamId(), results.get(k), appends.get(k).events()));
                    }
                  }
                  return mine;
                });

    assertStoreHoldsExactly(store, flatten(acks));
  }

  @Test
  void concurrent_multi_stream_appends_creating_the_same_streams_write_one_whole_batch() {
    EventStore store = store();
    List<String> streams = List.of("pair-a", "pair-b", "pair-c");
    List<Boolean> won =
        runConcurrently(
            threads(),
            thread ->
                () -> {
                  List<StreamAppend> appends = new ArrayList<>();
                  for (String stream : streams) {
                    appends.add(new StreamAppend(stream, ExpectedVersion.noStream(), notes("t" + thread)));
                  }
                  if (thread % 2 == 1) {
                    java.util.Collections.reverse(appends);
                  }
                  try {
                    store.appendAll(appends);
                    return true;
                  } catch (ConcurrencyException lost) {
                    return false;
                  }
                });

    assertThat(won).containsOnlyOnce(true);
    String winner = store.readStream("pair-a").get(0).payload().path("text").asText();
    for (String stream : streams) {
      assertThat(store.readStream(stream)).as(stream).singleElement()
          .satisfies(e -> assertThat(e.payload().path("text").asText()).isEqualTo(winner));
    }
    assertThat(log(store)).hasSize(3);
  }

  @Test
  void log_reader_running_alongside_writers_never_reorders_and_never_skips() {
    EventStore store = store();
    AtomicBoolean writersDone = new AtomicBoolean();
    List<RecordedEvent> seen = new ArrayList<>();
    ExecutorService readerThread = Executors.newSingleThreadExecutor();
    Future<?> reader =
        readerThread.submit(
            () -> {
              long checkpoint = 0;
              for (int round = 0; ; round++) {
                boolean finalDrain = writersDone.get();
                LogQuery query = LogQuery.after(checkpoint);
                List<RecordedEvent> page = log(store, round % 2 == 0 ? query : query.limit(37));
                for (RecordedEvent e : page) {
                  if (e.position() <= checkpoint) {
                    throw new AssertionError(
                        "the log went backwards: position "
                            + e.position()
                            + " (stream "
                            + e.streamId()
                            + " v"
                            + e.streamVersion()
                            + ") returned after position "
                            + checkpoint);
                  }
                  checkpoint = e.position();
                  seen.add(e);
                }
                if (finalDrain && page.isEmpty()) {
                  return null;
                }
              }
            });
    List<List<Ack>> acks;
    try {
      try {
        acks =
            runConcurrently(
                threads(),
                thread ->
                    () -> {
                      List<Ack> mine = new ArrayList<>();
                      for (int i = 0; i < appendsPerThread(); i++) {
                        String a = "log-" + (thread * 5 + i) % 13;
                        String b = "log-" + (thread * 5 + i + 1) % 13;
                        if (i % 10 == 9) {
                          List<EventData> first = notes("tx-a-" + thread + "-" + i + "-", 2);
                          List<EventData> second = notes("tx-b-" + thread + "-" + i);
                          List<AppendResult> results =
                              store.inTransaction(
                                  tx ->
                                      tx.appendAll(
                                          List.of(
                                              new StreamAppend(a, ExpectedVersion.any(), first),
                                              new StreamAppend(b, ExpectedVersion.any(), second))));
                          mine.addAll(acksOf(a, results.get(0), first));
                          mine.addAll(acksOf(b, results.get(1), second));
                        } else {
                          List<EventData> batch = notes("t" + thread + "-" + i + "-", 1 + i % 2);
                          mine.addAll(
                              acksOf(a, store.append(a, ExpectedVersion.any(), batch), batch));
                        }
                      }
                      return mine;
                    });
      } finally {
        writersDone.set(true);
      }
      reader.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the log reader failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("the log reader did not finish", e);
    } finally {
      readerThread.shutdownNow();
    }

    List<Ack> all = flatten(acks);
    assertThat(seen.size())
        .as("events the log reader saw, against %d acknowledged appends", all.size())
        .isEqualTo(all.size());
    assertLogHoldsExactly(seen, all);
    assertThat(seen)
        .as("what the reader saw, against the log read afterwards")
        .isEqualTo(log(store));
  }

  @Test
  void stream_reader_running_alongside_writers_sees_gapless_growing_prefixes() {
    EventStore store = store();
    int writers = threads();
    int readers = 2;
    CountDownLatch writersFinished = new CountDownLatch(writers);
    List<List<Ack>> results =
        runConcurrently(
            writers + readers,
            thread ->
                () -> {
                  if (thread < writers) {
                    try {
                      List<Ack> mine = new ArrayList<>();
                      for (int i = 0; i < appendsPerThread(); i++) {
                        List<EventData> batch = notes("t" + thread + "-" + i + "-", 1 + i % 3);
                        AppendResult r = store.append("watched-1", ExpectedVersion.any(), batch);
                        mine.addAll(acksOf("watched-1", r, batch));
                      }
                      return mine;
                    } finally {
                      writersFinished.countDown();
                    }
                  }
                  long lastSize = 0;
                  while (writersFinished.getCount() > 0) {
                    List<RecordedEvent> events = store.readStream("watched-1");
                    assertVersionsAreOneToN("watched-1", events);
                    assertThat((long) events.size())
                        .as("events in a later read of a growing stream")
                        .isGreaterThanOrEqualTo(lastSize);
                    lastSize = events.size();
                  }
                  return List.of();
                });

    assertOneStreamHoldsExactly(store, "watched-1", flatten(results));
  }

  @Test
  void concurrent_retries_of_one_append_write_it_once_and_all_return_the_first_result() {
    EventStore store = store();
    store.append("retry-1", ExpectedVersion.any(), notes("before"));
    List<EventData> batch = notes("r", 3);

    List<AppendResult> results =
        runConcurrently(
            threads(), thread -> () -> store.append("retry-1", ExpectedVersion.any(), batch));

    assertThat(new HashSet<>(results)).as("results of %d identical appends", threads()).hasSize(1);
    assertThat(results.get(0).firstVersion()).isEqualTo(2);
    assertThat(results.get(0).lastVersion()).isEqualTo(4);
    assertThat(eventIds(store.readStream("retry-1")).subList(1, 4)).isEqualTo(idsOf(batch));
    assertThat(log(store)).hasSize(4);
  }

  @Test
  void concurrent_appends_expecting_no_stream_create_it_exactly_once() {
    EventStore store = store();

    List<Boolean> won =
        runConcurrently(
            threads(),
            thread ->
                () -> {
                  try {
                    store.append("solo-1", ExpectedVersion.noStream(), notes("t" + thread));
                    return true;
                  } catch (ConcurrencyException lost) {
                    assertThat(lost.actualVersion()).isEqualTo(1);
                    return false;
                  }
                });

    assertThat(won).containsOnlyOnce(true);
    assertThat(store.readStream("solo-1")).hasSize(1);
    assertThat(store.streamInfo("solo-1").map(StreamInfo::version)).contains(1L);
  }

  // ---- Helpers

  /**
   * Runs {@code workers} tasks at once (a latch releases them together) and returns their results
   * in thread order; fails with the first task's failure, naming the thread.
   */
  private static <T> List<T> runConcurrently(int workers, IntFunction<Callable<T>> task) {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    CountDownLatch ready = new CountDownLatch(workers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < workers; t++) {
        Callable<T> work = task.apply(t);
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  start.await();
                  return work.call();
                }));
      }
      if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("worker threads did not start");
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (int t = 0; t < workers; t++) {
        try {
          results.add(futures.get(t).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw new AssertionError("worker thread " + t + " failed: " + cause, cause);
        } catch (TimeoutException e) {
          throw new AssertionError(
              "worker thread " + t + " did not finish within " + TIMEOUT_SECONDS + " s (deadlock?)",
              e);
        }
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<Ack> acksOf(String stream, AppendResult result, List<EventData> batch) {
    assertThat(result.streamId()).isEqualTo(stream);
    assertThat(result.lastVersion() - result.firstVersion()).isEqualTo(batch.size() - 1);
    if (batch.size() > 1) {
      assertThat(result.lastPosition()).isGreaterThan(result.firstPosition());
    } else {
      assertThat(result.lastPosition()).isEqualTo(result.firstPosition());
    }
    List<Ack> acks = new ArrayList<>();
    for (int k = 0; k < batch.size(); k++) {
      acks.add(new Ack(batch.get(k).eventId(), stream, result.firstVersion() + k));
    }
    return acks;
  }

  private static <T> List<T> flatten(Collection<? extends List<T>> lists) {
    List<T> all = new ArrayList<>();
    lists.forEach(all::addAll);
    return all;
  }

  /**
   * The log holds the acknowledged events exactly once, in order; every stream's versions are
   * 1..N, its row says N, and reading it directly gives the same events.
   */
  private static void assertStoreHoldsExactly(EventStore store, List<Ack> acks) {
    List<RecordedEvent> log = log(store);
    assertLogHoldsExactly(log, acks);
    Map<String, List<RecordedEvent>> byStream = new LinkedHashMap<>();
    log.forEach(e -> byStream.computeIfAbsent(e.streamId(), k -> new ArrayList<>()).add(e));
    byStream.forEach(
        (stream, events) -> {
          assertVersionsAreOneToN(stream, events);
          assertThat(store.streamInfo(stream).map(StreamInfo::version))
              .contains((long) events.size());
          assertThat(store.readStream(stream))
              .as("stream %s read directly", stream)
              .isEqualTo(events);
        });
  }

  /**
   * The stream holds the acknowledged events and nothing else, versions 1..N with rising positions.
   */
  private static void assertOneStreamHoldsExactly(
      EventStore store, String streamId, List<Ack> acks) {
    List<RecordedEvent> events = store.readStream(streamId);
    assertThat(events)
        .as("events in %s, against %d acknowledged", streamId, acks.size())
        .hasSize(acks.size());
    assertVersionsAreOneToN(streamId, events);
    assertThat(store.streamInfo(streamId).map(StreamInfo::version)).contains((long) acks.size());
    List<RecordedEvent> log = log(store);
    assertThat(log).as("the global log, against the stream").isEqualTo(events);
    assertLogHoldsExactly(log, acks);
  }

  /**
   * {@code log} holds every acknowledged event exactly once, at the version its append reported,
   * with unique and strictly increasing positions, and nothing unacknowledged.
   */
  private static void assertLogHoldsExactly(List<RecordedEvent> log, List<Ack> acks) {
    ContractChecks.assertStrictlyIncreasing(positions(log));
    Map<UUID, RecordedEvent> stored = new HashMap<>();
    for (RecordedEvent e : log) {
      RecordedEvent duplicate = stored.put(e.eventId(), e);
      if (duplicate != null) {
        throw new AssertionError(
            "event "
                + e.eventId()
                + " is stored twice: at positions "
                + duplicate.position()
                + " and "
                + e.position());
      }
    }
    Set<UUID> acknowledged = new HashSet<>();
    for (Ack ack : acks) {
      assertThat(acknowledged.add(ack.eventId()))
          .as("event %s acknowledged once", ack.eventId())
          .isTrue();
      RecordedEvent e = stored.get(ack.eventId());
      if (e == null) {
        throw new AssertionError(
            "acknowledged event "
                + ack.eventId()
                + " ("
                + ack.streamId()
                + " v"
                + ack.version()
                + ") is missing");
      }
      if (!e.streamId().equals(ack.streamId()) || e.streamVersion() != ack.version()) {
        throw new AssertionError(
            "event "
                + ack.eventId()
                + " was acknowledged as "
                + ack.streamId()
                + " v"
                + ack.version()
                + " but is stored as "
                + e.streamId()
                + " v"
                + e.streamVersion());
      }
    }
    Set<UUID> unacknowledged = new HashSet<>(stored.keySet());
    unacknowledged.removeAll(acknowledged);
    assertThat(unacknowledged).as("stored events whose append was not acknowledged").isEmpty();
  }

  /** Versions run 1..N in order, and positions rise with them. */
  private static void assertVersionsAreOneToN(String streamId, List<RecordedEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      RecordedEvent e = events.get(i);
      if (e.streamVersion() != i + 1) {
        throw new AssertionError(
            "stream "
                + streamId
                + " holds version "
                + e.streamVersion()
                + " at index "
                + i
                + "; expected "
                + (i + 1));
      }
      if (i > 0 && e.position() <= events.get(i - 1).position()) {
        throw new AssertionError(
            "stream "
                + streamId
                + ": version "
                + e.streamVersion()
                + " has position "
                + e.position()
                + ", not above version "
                + (i)
                + "'s position "
                + events.get(i - 1).position());
      }
    }
  }
}

package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.StoreContractSupport.log;
import static dev.fabula.testkit.contract.StoreContractSupport.positions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
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
import java.util.function.IntFunction;

/** How the concurrency suites run workers and check what the store holds afterwards. */
final class ConcurrencyChecks {

  private ConcurrencyChecks() {}

  /** How long any one concurrent test may take before it fails. */
  static final long TIMEOUT_SECONDS = 90;

  /**
   * An acknowledged event: its append returned, so it must be stored exactly once.
   *
   * @param eventId the event
   * @param streamId its stream
   * @param version the version its append result gave it
   */
  record Ack(UUID eventId, String streamId, long version) {}

  /**
   * Runs {@code workers} tasks at once (a latch releases them together) and returns their results
   * in thread order; fails with the first task's failure, naming the thread.
   */
  static <T> List<T> runConcurrently(int workers, IntFunction<Callable<T>> task) {
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

  static List<Ack> acksOf(String stream, AppendResult result, List<EventData> batch) {
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

  static <T> List<T> flatten(Collection<? extends List<T>> lists) {
    List<T> all = new ArrayList<>();
    lists.forEach(all::addAll);
    return all;
  }

  /**
   * The log holds the acknowledged events exactly once, in order; every stream's versions are
   * 1..N, its row says N, and reading it directly gives the same events.
   */
  static void assertStoreHoldsExactly(EventStore store, List<Ack> acks) {
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
  static void assertOneStreamHoldsExactly(
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
  static void assertLogHoldsExactly(List<RecordedEvent> log, List<Ack> acks) {
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
  static void assertVersionsAreOneToN(String streamId, List<RecordedEvent> events) {
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

package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.ConcurrencyChecks.TIMEOUT_SECONDS;
import static dev.fabula.testkit.contract.ConcurrencyChecks.acksOf;
import static dev.fabula.testkit.contract.ConcurrencyChecks.assertLogHoldsExactly;
import static dev.fabula.testkit.contract.ConcurrencyChecks.assertOneStreamHoldsExactly;
import static dev.fabula.testkit.contract.ConcurrencyChecks.assertVersionsAreOneToN;
import static dev.fabula.testkit.contract.ConcurrencyChecks.flatten;
import static dev.fabula.testkit.contract.ConcurrencyChecks.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.testkit.contract.ConcurrencyChecks.Ack;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Readers alongside writers: a reader that follows the global log by its last position never sees
 * it reorder and never skips an event that commits late, and a stream reader sees gapless, growing
 * prefixes. Run it with a subclass that implements {@link #openStore}, as for {@link
 * EventStoreAppendContract}.
 *
 * <p>The load is {@link #threads()} threads of {@link #appendsPerThread()} appends each (8 × 200);
 * a slow backend may lower the second, but should keep at least 8 threads.
 */
public abstract class EventStoreConcurrentReadsContract extends StoreContractSupport {

  /** Writer threads per test. */
  protected int threads() {
    return 8;
  }

  /** Appends per writer thread. */
  protected int appendsPerThread() {
    return 200;
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
}

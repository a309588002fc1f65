package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.ConcurrencyChecks.acksOf;
import static dev.fabula.testkit.contract.ConcurrencyChecks.assertOneStreamHoldsExactly;
import static dev.fabula.testkit.contract.ConcurrencyChecks.assertStoreHoldsExactly;
import static dev.fabula.testkit.contract.ConcurrencyChecks.flatten;
import static dev.fabula.testkit.contract.ConcurrencyChecks.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.testkit.contract.ConcurrencyChecks.Ack;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many writers at once: threads appending to one stream or to many, with exact versions or any,
 * multi-stream appends in different orders, concurrent retries and concurrent stream creation lose
 * nothing, duplicate nothing, keep versions gapless and never deadlock. Run it with a subclass that
 * implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 *
 * <p>The load is {@link #threads()} threads of {@link #appendsPerThread()} appends each (8 × 200);
 * a slow backend may lower the second, but should keep at least 8 threads.
 */
public abstract class EventStoreConcurrentWritesContract extends StoreContractSupport {

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
  void concurrent_retries_of_one_append_write_it_once_and_all_return_the_first_result() {
    EventStore store = store();
    store.append("retry-1", ExpectedVersion.any(), notes("before"));
    List<EventData> batch = notes("r", 3);

    List<AppendResult> results =
        runConcurrently(
            threads(), thread -> () -> store.append("retry-1", ExpectedVersion.any(), batch));

    assertThat(new HashSet<>(results.stream().map(r -> r.withReplayed(false)).toList()))
        .as("results of %d identical appends", threads()).hasSize(1);
    assertThat(results).filteredOn(r -> !r.replayed()).as("the one that wrote the batch").hasSize(1);
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
}

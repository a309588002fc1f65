package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.Transaction;
import dev.fabula.testkit.contract.ContractEvents.ItemAdded;
import dev.fabula.testkit.contract.ContractEvents.Nested;
import dev.fabula.testkit.contract.ContractEvents.Note;
import dev.fabula.testkit.contract.ContractEvents.Numbers;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The core contract of an {@link EventStore}: appends and expected versions, stream and log reads,
 * idempotent appends, multi-stream appends, deletion and units of work. Run it against a backend
 * with a subclass that implements {@link #openStore}:
 *
 * <pre>{@code
 * class SqliteEventStoreTest extends EventStoreContract {
 *   @TempDir static Path dir; // one database file; each store gets its own table prefix
 *
 *   @Override
 *   protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
 *     return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("events.db"), config,
 *         JdbcConfig.DEFAULT.withTablePrefix(tablePrefix));
 *   }
 * }
 * }</pre>
 *
 * <p>The other suites are {@link EventStoreTenancyContract}, {@link
 * EventStoreSerializationContract}, {@link EventStoreBadInputContract} and {@link
 * EventStoreConcurrencyContract}; a complete backend runs all five.
 */
public abstract class EventStoreContract extends StoreContractSupport {

  // ---- Appends and expected versions

  @Test
  void appends_with_any_create_a_stream_numbered_from_version_one() {
    AppendResult result = store().append("cart-1", ExpectedVersion.any(), notes("a", "b", "c"));

    assertThat(result.firstVersion()).isEqualTo(1);
    assertThat(result.lastVersion()).isEqualTo(3);
    assertThat(versions(store().readStream("cart-1"))).containsExactly(1L, 2L, 3L);
    assertThat(store().streamInfo("cart-1")).contains(new StreamInfo("cart-1", 3, null, false));
  }

  @Test
  void appends_with_any_continue_an_existing_stream() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));

    AppendResult result = store().append("cart-1", ExpectedVersion.any(), notes("c"));

    assertThat(result.firstVersion()).isEqualTo(3);
    assertThat(result.lastVersion()).isEqualTo(3);
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("a", "b", "c");
  }

  @Test
  void appends_with_no_stream_create_a_new_stream() {
    AppendResult result = store().append("cart-1", ExpectedVersion.noStream(), notes("a", "b"));

    assertThat(result.firstVersion()).isEqualTo(1);
    assertThat(result.lastVersion()).isEqualTo(2);
    assertThat(store().streamInfo("cart-1").map(StreamInfo::version)).contains(2L);
  }

  @Test
  void rejects_append_with_no_stream_when_the_stream_exists() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    Snapshot before = snapshot(store(), "cart-1");

    assertConcurrencyConflict(
        () -> store().append("cart-1", ExpectedVersion.noStream(), notes("c")),
        "cart-1",
        ExpectedVersion.noStream(),
        2);
    assertUnchanged(before, store());
  }

  @Test
  void appends_with_stream_exists_to_an_existing_stream() {
    store().append("cart-1", ExpectedVersion.any(), notes("a"));

    AppendResult result = store().append("cart-1", ExpectedVersion.streamExists(), notes("b"));

    assertThat(result.firstVersion()).isEqualTo(2);
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("a", "b");
  }

  @Test
  void rejects_append_with_stream_exists_when_the_stream_is_missing() {
    store().append("cart-other", ExpectedVersion.any(), notes("a"));
    Snapshot before = snapshot(store(), "cart-1", "cart-other");

    assertConcurrencyConflict(
        () -> store().append("cart-1", ExpectedVersion.streamExists(), notes("b")),
        "cart-1",
        ExpectedVersion.streamExists(),
        -1);
    assertUnchanged(before, store());
    assertThat(store().streamInfo("cart-1")).isEmpty();
  }

  @Test
  void appends_with_an_exact_version_that_matches() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));

    AppendResult result = store().append("cart-1", ExpectedVersion.exactly(2), notes("c", "d"));

    assertThat(result.firstVersion()).isEqualTo(3);
    assertThat(result.lastVersion()).isEqualTo(4);
    assertThat(versions(store().readStream("cart-1"))).containsExactly(1L, 2L, 3L, 4L);
  }

  @Test
  void appends_with_exactly_zero_to_a_new_stream() {
    AppendResult result = store().append("cart-1", ExpectedVersion.exactly(0), notes("a"));

    assertThat(result.firstVersion()).isEqualTo(1);
    assertConcurrencyConflict(
        () -> store().append("cart-1", ExpectedVersion.exactly(0), notes("b")),
        "cart-1",
        ExpectedVersion.exactly(0),
        1);
  }

  @Test
  void rejects_append_when_expected_version_is_stale() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    Snapshot before = snapshot(store(), "cart-1");

    assertConcurrencyConflict(
        () -> store().append("cart-1", ExpectedVersion.exactly(1), notes("c")),
        "cart-1",
        ExpectedVersion.exactly(1),
        2);
    assertUnchanged(before, store());
  }

  @Test
  void rejects_append_when_expected_version_is_ahead_of_the_stream() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    Snapshot before = snapshot(store(), "cart-1");

    assertConcurrencyConflict(
        () -> store().append("cart-1", ExpectedVersion.exactly(5), notes("c")),
        "cart-1",
        ExpectedVersion.exactly(5),
        2);
    assertUnchanged(before, store());
  }

  @Test
  void rejects_append_with_an_exact_version_when_the_stream_is_missing() {
    Snapshot before = snapshot(store(), "cart-1");

    assertConcurrencyConflict(
        () -> store().append("cart-1", ExpectedVersion.exactly(3), notes("a")),
        "cart-1",
        ExpectedVersion.exactly(3),
        -1);
    assertUnchanged(before, store());
  }

  @Test
  void a_conflicting_batch_writes_none_of_its_events() {
    store().append("cart-1", ExpectedVersion.any(), notes("a"));
    store().append("cart-2", ExpectedVersion.any(), notes("x"));
    Snapshot before = snapshot(store(), "cart-1", "cart-2");

    assertThatThrownBy(
            () -> store().append("cart-1", ExpectedVersion.exactly(0), notes("b", "c", "d", "e")))
        .isInstanceOf(ConcurrencyException.class);

    assertUnchanged(before, store());
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("a");
  }

  @Test
  void append_result_reports_the_versions_and_positions_of_the_batch() {
    store().append("cart-0", ExpectedVersion.any(), notes("x"));
    store().append("cart-1", ExpectedVersion.any(), notes("a"));
    List<EventData> batch = notes("b", "c", "d");

    AppendResult result = store().append("cart-1", ExpectedVersion.exactly(1), batch);

    List<RecordedEvent> stored = store().readStream("cart-1", StreamRead.forwards().from(2));
    assertThat(eventIds(stored)).isEqualTo(idsOf(batch));
    assertThat(result.streamId()).isEqualTo("cart-1");
    assertThat(result.firstVersion()).isEqualTo(2);
    assertThat(result.lastVersion()).isEqualTo(4);
    assertThat(result.firstPosition()).isEqualTo(stored.get(0).position());
    assertThat(result.lastPosition()).isEqualTo(stored.get(2).position());
    assertThat(positions(stored)).isSorted().doesNotHaveDuplicates();
    assertThat(result.firstPosition())
        .isGreaterThan(store().readStream("cart-0").get(0).position());
  }

  @Test
  void positions_increase_in_append_order_across_streams() {
    List<EventData> first = notes("a1");
    List<EventData> second = notes("b1", "b2");
    List<EventData> third = notes("a2");
    store().append("a-1", ExpectedVersion.any(), first);
    store().append("b-1", ExpectedVersion.any(), second);
    store().append("a-1", ExpectedVersion.any(), third);

    List<RecordedEvent> log = log(store());

    assertThat(texts(store(), log)).containsExactly("a1", "b1", "b2", "a2");
    assertThat(positions(log)).isSorted().doesNotHaveDuplicates();
    assertThat(positions(log)).allSatisfy(p -> assertThat(p).isPositive());
    assertThat(store().headPosition()).isEqualTo(log.get(3).position());
  }

  @Test
  void recorded_events_carry_everything_that_was_appended() {
    Metadata metadata =
        Metadata.EMPTY
            .withCorrelationId("corr-1")
            .withCausationId("cause-1")
            .withActor("user:42")
            .with("channel", "web")
            .with("ip", "192.0.2.1");
    EventData event = EventData.of(new ItemAdded("sku-9", 4)).withMetadata(metadata);

    store().append("cart-1", ExpectedVersion.noStream(), List.of(event));

    RecordedEvent stored = store().readStream("cart-1").get(0);
    assertThat(stored.streamId()).isEqualTo("cart-1");
    assertThat(stored.category()).isEqualTo("cart");
    assertThat(stored.streamVersion()).isEqualTo(1);
    assertThat(stored.eventId()).isEqualTo(event.eventId());
    assertThat(stored.type()).isEqualTo("contract-item-added");
    assertThat(stored.schemaVersion()).isEqualTo(1);
    assertThat(store().types().decode(stored)).isEqualTo(new ItemAdded("sku-9", 4));
    assertThat(stored.metadata()).isEqualTo(metadata);
    assertThat(stored.recordedAt()).isNotNull();
    assertThat(log(store())).containsExactly(stored);
  }

  @Test
  void stamps_recorded_at_with_the_configured_clock() {
    Instant now = Instant.parse("2031-04-05T06:07:08.123456Z");
    EventStore clocked = openFreshStore(c -> c.withClock(Clock.fixed(now, ZoneOffset.UTC)));

    clocked.append("cart-1", ExpectedVersion.any(), notes("a", "b"));

    assertThat(clocked.readStream("cart-1"))
        .extracting(RecordedEvent::recordedAt)
        .containsExactly(now, now);
  }

  @Test
  void head_position_is_zero_when_empty_and_the_newest_position_after_appends() {
    assertThat(store().headPosition()).isZero();

    AppendResult first = store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    assertThat(store().headPosition()).isEqualTo(first.lastPosition());

    AppendResult second = store().append("cart-2", ExpectedVersion.any(), notes("c"));
    assertThat(store().headPosition()).isEqualTo(second.lastPosition());
  }

  @Test
  void stream_info_is_empty_for_an_unknown_stream_and_tracks_the_version() {
    assertThat(store().streamInfo("cart-1")).isEmpty();

    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    assertThat(store().streamInfo("cart-1")).contains(new StreamInfo("cart-1", 2, null, false));

    store().append("cart-1", ExpectedVersion.any(), notes("c"));
    assertThat(store().streamInfo("cart-1")).contains(new StreamInfo("cart-1", 3, null, false));
    assertThat(store().streamInfo("cart-2")).isEmpty();
  }

  // ---- Reading streams

  @Test
  void reads_a_stream_forwards_in_version_order() {
    appendFiveToCart();

    List<RecordedEvent> events = store().readStream("cart-1", StreamRead.forwards());

    assertThat(versions(events)).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(texts(store(), events)).containsExactly("e1", "e2", "e3", "e4", "e5");
    assertThat(positions(events)).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void reads_a_stream_backwards_in_reverse_version_order() {
    appendFiveToCart();

    List<RecordedEvent> events = store().readStream("cart-1", StreamRead.backwards());

    assertThat(versions(events)).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(texts(store(), events)).containsExactly("e5", "e4", "e3", "e2", "e1");
  }

  @Test
  void reads_a_stream_forwards_from_a_version_with_a_limit() {
    appendFiveToCart();

    assertThat(versions(store().readStream("cart-1", StreamRead.forwards().from(3))))
        .containsExactly(3L, 4L, 5L);
    assertThat(versions(store().readStream("cart-1", StreamRead.forwards().from(3).limit(2))))
        .containsExactly(3L, 4L);
    assertThat(versions(store().readStream("cart-1", StreamRead.forwards().limit(1))))
        .containsExactly(1L);
    assertThat(versions(store().readStream("cart-1", StreamRead.forwards().from(0))))
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(store().readStream("cart-1", StreamRead.forwards().from(6))).isEmpty();
  }

  @Test
  void reads_a_stream_backwards_from_a_version_with_a_limit() {
    appendFiveToCart();

    assertThat(versions(store().readStream("cart-1", StreamRead.backwards().from(4).limit(2))))
        .containsExactly(4L, 3L);
    assertThat(versions(store().readStream("cart-1", StreamRead.backwards().limit(1))))
        .containsExactly(5L);
    assertThat(versions(store().readStream("cart-1", StreamRead.backwards().from(2))))
        .containsExactly(2L, 1L);
    assertThat(versions(store().readStream("cart-1", StreamRead.backwards().from(99).limit(2))))
        .containsExactly(5L, 4L);
  }

  @Test
  void reading_an_unknown_stream_returns_nothing() {
    store().append("cart-1", ExpectedVersion.any(), notes("a"));

    assertThat(store().readStream("cart-2")).isEmpty();
    assertThat(store().readStream("cart-2", StreamRead.backwards().limit(1))).isEmpty();
  }

  @Test
  void reads_only_the_requested_stream_even_when_ids_share_a_prefix() {
    store().append("order-1", ExpectedVersion.any(), notes("one"));
    store().append("order-10", ExpectedVersion.any(), notes("ten"));
    store().append("order-1-x", ExpectedVersion.any(), notes("one-x"));

    assertThat(texts(store(), store().readStream("order-1"))).containsExactly("one");
    assertThat(texts(store(), store().readStream("order-10"))).containsExactly("ten");
  }

  // ---- Reading the global log

  @Test
  void reads_the_whole_log_in_position_order() {
    store().append("a-1", ExpectedVersion.any(), notes("1", "2"));
    store().append("b-1", ExpectedVersion.any(), notes("3"));
    store().append("a-1", ExpectedVersion.any(), notes("4"));

    List<RecordedEvent> log = log(store());

    assertThat(texts(store(), log)).containsExactly("1", "2", "3", "4");
    assertThat(log).extracting(RecordedEvent::streamId).containsExactly("a-1", "a-1", "b-1", "a-1");
    assertThat(versions(log)).containsExactly(1L, 2L, 1L, 3L);
    assertThat(positions(log)).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void reads_the_log_after_a_position() {
    store().append("a-1", ExpectedVersion.any(), notes("1", "2", "3"));
    store().append("b-1", ExpectedVersion.any(), notes("4", "5"));
    List<RecordedEvent> all = log(store());

    assertThat(texts(store(), log(store(), LogQuery.after(all.get(1).position()))))
        .containsExactly("3", "4", "5");
    assertThat(texts(store(), log(store(), LogQuery.after(all.get(3).position()))))
        .containsExactly("5");
    assertThat(log(store(), LogQuery.after(store().headPosition()))).isEmpty();
    assertThat(log(store(), LogQuery.after(0))).isEqualTo(all);
  }

  @Test
  void reads_an_empty_log_as_empty() {
    assertThat(log(store())).isEmpty();
    assertThat(log(store(), LogQuery.after(1_000))).isEmpty();
  }

  @Test
  void filters_the_log_by_event_type() {
    store().append("cart-1", ExpectedVersion.any(), List.of(note("n1"), item("sku-1", 1)));
    store().append("cart-2", ExpectedVersion.any(), List.of(item("sku-2", 2), note("n2")));

    List<RecordedEvent> items = log(store(), LogQuery.all().types(Set.of("contract-item-added")));
    List<RecordedEvent> both =
        log(store(), LogQuery.all().types(Set.of("contract-item-added", "contract-note")));

    assertThat(items)
        .extracting(e -> store().types().decode(e))
        .containsExactly(new ItemAdded("sku-1", 1), new ItemAdded("sku-2", 2));
    assertThat(both).hasSize(4);
    assertThat(log(store(), LogQuery.all().types(Set.of("contract-nothing")))).isEmpty();
  }

  @Test
  void filters_the_log_by_category_the_part_of_the_stream_id_before_the_first_dash() {
    store().append("order-1", ExpectedVersion.any(), notes("order-1"));
    store().append("orderbook-1", ExpectedVersion.any(), notes("orderbook-1"));
    store().append("order-2-part-3", ExpectedVersion.any(), notes("order-2-part-3"));
    store().append("order", ExpectedVersion.any(), notes("order"));
    store().append("invoice-1", ExpectedVersion.any(), notes("invoice-1"));
    store().append("xorder-1", ExpectedVersion.any(), notes("xorder-1"));

    assertThat(texts(store(), log(store(), LogQuery.all().categories(Set.of("order")))))
        .containsExactly("order-1", "order-2-part-3", "order");
    assertThat(
            texts(store(), log(store(), LogQuery.all().categories(Set.of("orderbook", "invoice")))))
        .containsExactly("orderbook-1", "invoice-1");
    assertThat(log(store(), LogQuery.all().categories(Set.of("order-2")))).isEmpty();
  }

  @Test
  void filters_the_log_by_tenant() {
    store().forTenant("acme").append("cart-1", ExpectedVersion.any(), notes("acme-1"));
    store().append("cart-2", ExpectedVersion.any(), notes("none-1"));
    store().forTenant("globex").append("cart-3", ExpectedVersion.any(), notes("globex-1"));
    store().forTenant("acme").append("cart-4", ExpectedVersion.any(), notes("acme-2"));

    assertThat(texts(store(), log(store(), LogQuery.all().tenant("acme"))))
        .containsExactly("acme-1", "acme-2");
    assertThat(texts(store(), log(store(), LogQuery.all().tenant("globex"))))
        .containsExactly("globex-1");
    assertThat(log(store(), LogQuery.all().tenant("initech"))).isEmpty();
  }

  @Test
  void limits_the_log_read() {
    store().append("a-1", ExpectedVersion.any(), notes("1", "2", "3", "4"));

    assertThat(texts(store(), log(store(), LogQuery.all().limit(2)))).containsExactly("1", "2");
    assertThat(texts(store(), log(store(), LogQuery.all().limit(1)))).containsExactly("1");
    assertThat(log(store(), LogQuery.all().limit(100))).hasSize(4);
  }

  @Test
  void combines_a_position_filters_and_a_limit() {
    store().append("order-1", ExpectedVersion.any(), List.of(note("o1"), item("sku", 1)));
    store().append("invoice-1", ExpectedVersion.any(), notes("i1"));
    store().append("order-2", ExpectedVersion.any(), List.of(note("o2"), note("o3"), note("o4")));
    long afterFirst = store().readStream("order-1").get(0).position();

    LogQuery query =
        LogQuery.after(afterFirst)
            .categories(Set.of("order"))
            .types(Set.of("contract-note"))
            .limit(2);

    assertThat(texts(store(), log(store(), query))).containsExactly("o2", "o3");
  }

  @Test
  void reads_a_log_longer_than_several_pages_completely_and_in_order() {
    List<UUID> appended = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) {
      List<EventData> events = notes("b" + batch + "-", 100);
      store().append("bulk-" + batch % 5, ExpectedVersion.any(), events);
      appended.addAll(idsOf(events));
    }

    List<RecordedEvent> log = log(store());

    assertThat(log).hasSize(2_500);
    assertThat(eventIds(log)).isEqualTo(appended);
    assertStrictlyIncreasing(positions(log));
    assertThat(store().headPosition()).isEqualTo(log.get(log.size() - 1).position());
    assertThat(log(store(), LogQuery.after(log.get(999).position())))
        .isEqualTo(log.subList(1_000, 2_500));
  }

  @Test
  void filters_and_limits_a_log_longer_than_several_pages() {
    List<UUID> rare = new ArrayList<>();
    List<UUID> all = new ArrayList<>();
    for (int batch = 0; batch < 30; batch++) {
      List<EventData> noise = notes("n" + batch + "-", 100);
      store().append("noise-" + batch % 3, ExpectedVersion.any(), noise);
      all.addAll(idsOf(noise));
      EventData signal = item("sku-" + batch, batch);
      store().append("rare-" + batch % 2, ExpectedVersion.any(), List.of(signal));
      all.add(signal.eventId());
      rare.add(signal.eventId());
    }

    assertThat(eventIds(log(store(), LogQuery.all().categories(Set.of("rare"))))).isEqualTo(rare);
    assertThat(eventIds(log(store(), LogQuery.all().types(Set.of("contract-item-added")))))
        .isEqualTo(rare);
    assertThat(eventIds(log(store(), LogQuery.all().limit(1_234))))
        .isEqualTo(all.subList(0, 1_234));
    assertThat(eventIds(log(store(), LogQuery.all().categories(Set.of("rare")).limit(17))))
        .isEqualTo(rare.subList(0, 17));

    List<RecordedEvent> noise = log(store(), LogQuery.all().categories(Set.of("noise")));
    assertThat(noise).hasSize(3_000);
    assertStrictlyIncreasing(positions(noise));
    long middle = noise.get(1_499).position();
    assertThat(log(store(), LogQuery.after(middle).categories(Set.of("noise")).limit(700)))
        .isEqualTo(noise.subList(1_500, 2_200));
  }

  // ---- Idempotent appends

  @Test
  void retried_append_with_any_returns_the_first_result_and_writes_nothing() {
    assertRetryReturnsFirstResult(ExpectedVersion.any(), false);
  }

  @Test
  void retried_append_with_no_stream_returns_the_first_result_after_the_stream_moved_on() {
    assertRetryReturnsFirstResult(ExpectedVersion.noStream(), false);
  }

  @Test
  void retried_append_with_stream_exists_returns_the_first_result_after_the_stream_moved_on() {
    assertRetryReturnsFirstResult(ExpectedVersion.streamExists(), true);
  }

  @Test
  void retried_append_with_an_exact_version_returns_the_first_result_after_the_stream_moved_on() {
    assertRetryReturnsFirstResult(ExpectedVersion.exactly(1), true);
  }

  /**
   * Appends a batch with {@code expected} (after one earlier event if {@code streamExistsBefore}),
   * moves the stream on so that {@code expected} no longer holds, and retries the same batch: the
   * retry returns the first result and writes nothing.
   */
  private void assertRetryReturnsFirstResult(ExpectedVersion expected, boolean streamExistsBefore) {
    if (streamExistsBefore) {
      store().append("cart-1", ExpectedVersion.noStream(), notes("before"));
    }
    List<EventData> batch = List.of(note("a"), item("sku-1", 2), note("c"));
    AppendResult original = store().append("cart-1", expected, batch);
    store().append("cart-1", ExpectedVersion.any(), notes("later-1", "later-2"));
    store().append("cart-2", ExpectedVersion.any(), notes("elsewhere"));
    Snapshot before = snapshot(store(), "cart-1", "cart-2");

    AppendResult retry = store().append("cart-1", expected, batch);

    assertThat(retry).isEqualTo(original);
    assertThat(original.lastVersion() - original.firstVersion()).isEqualTo(2);
    assertUnchanged(before, store());
    assertThat(versionOf(store(), "cart-1")).contains(streamExistsBefore ? 6L : 5L);
  }

  @Test
  void retried_append_of_rich_payloads_returns_the_first_result() {
    List<EventData> batch =
        List.of(
            EventData.of(sampleNumbers()),
            EventData.of(EventStoreSerializationContract.sampleSchedule()),
            EventData.json(
                "contract-raw",
                4,
                store()
                    .types()
                    .mapper()
                    .createObjectNode()
                    .put("int", 7)
                    .put("long", 1L << 40)
                    .put("double", 0.25)
                    .put("decimal", new BigDecimal("1.10"))
                    .put("text", "x")
                    .putNull("nothing")));
    AppendResult original = store().append("rich-1", ExpectedVersion.noStream(), batch);
    store().append("rich-1", ExpectedVersion.any(), notes("later"));
    Snapshot before = snapshot(store(), "rich-1");

    assertThat(store().append("rich-1", ExpectedVersion.noStream(), batch)).isEqualTo(original);
    assertUnchanged(before, store());
  }

  @Test
  void retried_append_returns_the_first_result_when_metadata_is_set() {
    EventData event =
        note("a").withMetadata(Metadata.EMPTY.withCorrelationId("c-1").with("k", "v"));
    AppendResult original = store().append("cart-1", ExpectedVersion.noStream(), List.of(event));
    Snapshot before = snapshot(store(), "cart-1");

    assertThat(store().append("cart-1", ExpectedVersion.noStream(), List.of(event)))
        .isEqualTo(original);
    assertUnchanged(before, store());
  }

  @Test
  void rejects_a_reused_event_id_with_a_different_payload() {
    EventData original = note("original");
    store().append("cart-1", ExpectedVersion.any(), List.of(original));
    Snapshot before = snapshot(store(), "cart-1");

    EventData changed = EventData.of(new Note("changed")).withEventId(original.eventId());
    assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.any(), List.of(changed)))
        .isInstanceOfSatisfying(
            EventIdConflictException.class,
            e -> assertThat(e.eventId()).isEqualTo(original.eventId()));
    EventData otherType = item("sku", 1).withEventId(original.eventId());
    assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.any(), List.of(otherType)))
        .isInstanceOf(EventIdConflictException.class);

    assertUnchanged(before, store());
  }

  @Test
  void rejects_a_batch_that_mixes_stored_and_new_event_ids() {
    List<EventData> stored = notes("a", "b");
    store().append("cart-1", ExpectedVersion.any(), stored);
    Snapshot before = snapshot(store(), "cart-1");

    assertThatThrownBy(
            () ->
                store()
                    .append(
                        "cart-1",
                        ExpectedVersion.any(),
                        List.of(stored.get(0), stored.get(1), note("new"))))
        .isInstanceOf(EventIdConflictException.class);
    assertThatThrownBy(
            () ->
                store()
                    .append("cart-1", ExpectedVersion.any(), List.of(note("new"), stored.get(1))))
        .isInstanceOf(EventIdConflictException.class);

    assertUnchanged(before, store());
  }

  @Test
  void rejects_a_reused_event_id_in_another_stream() {
    List<EventData> events = notes("a");
    store().append("cart-1", ExpectedVersion.any(), events);
    Snapshot before = snapshot(store(), "cart-1", "cart-2");

    assertThatThrownBy(() -> store().append("cart-2", ExpectedVersion.any(), events))
        .isInstanceOfSatisfying(
            EventIdConflictException.class,
            e -> assertThat(e.eventId()).isEqualTo(events.get(0).eventId()));

    assertUnchanged(before, store());
    assertThat(store().streamInfo("cart-2")).isEmpty();
  }

  @Test
  void rejects_a_retried_batch_in_a_different_order() {
    List<EventData> events = notes("a", "b");
    store().append("cart-1", ExpectedVersion.any(), events);
    Snapshot before = snapshot(store(), "cart-1");

    assertThatThrownBy(
            () ->
                store()
                    .append("cart-1", ExpectedVersion.any(), List.of(events.get(1), events.get(0))))
        .isInstanceOf(EventIdConflictException.class);

    assertUnchanged(before, store());
  }

  @Test
  void retried_append_all_returns_the_first_results_and_writes_nothing() {
    List<StreamAppend> appends =
        List.of(
            new StreamAppend("cart-1", ExpectedVersion.noStream(), notes("a1", "a2")),
            new StreamAppend("cart-2", ExpectedVersion.noStream(), notes("b1")));
    List<AppendResult> original = store().appendAll(appends);
    store().append("cart-2", ExpectedVersion.any(), notes("b2"));
    Snapshot before = snapshot(store(), "cart-1", "cart-2");

    assertThat(store().appendAll(appends)).isEqualTo(original);
    assertUnchanged(before, store());
  }

  // ---- Multi-stream appends

  @Test
  void append_all_commits_every_stream() {
    store().append("cart-2", ExpectedVersion.any(), notes("b0"));

    List<AppendResult> results =
        store()
            .appendAll(
                List.of(
                    new StreamAppend("cart-1", ExpectedVersion.noStream(), notes("a1", "a2")),
                    new StreamAppend("cart-2", ExpectedVersion.exactly(1), notes("b1")),
                    new StreamAppend("cart-3", ExpectedVersion.any(), notes("c1"))));

    assertThat(results)
        .extracting(AppendResult::streamId)
        .containsExactly("cart-1", "cart-2", "cart-3");
    assertThat(results.get(0).firstVersion()).isEqualTo(1);
    assertThat(results.get(0).lastVersion()).isEqualTo(2);
    assertThat(results.get(1).firstVersion()).isEqualTo(2);
    assertThat(results.get(2).lastVersion()).isEqualTo(1);
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("a1", "a2");
    assertThat(texts(store(), store().readStream("cart-2"))).containsExactly("b0", "b1");
    assertThat(texts(store(), store().readStream("cart-3"))).containsExactly("c1");
    List<Long> positions = new ArrayList<>();
    results.forEach(r -> positions.addAll(List.of(r.firstPosition(), r.lastPosition())));
    assertThat(positions(log(store()))).containsAll(positions);
  }

  @Test
  void append_all_writes_nothing_when_one_stream_conflicts() {
    store().append("cart-1", ExpectedVersion.any(), notes("a0"));
    store().append("cart-2", ExpectedVersion.any(), notes("b0", "b1"));
    Snapshot before = snapshot(store(), "cart-1", "cart-2", "cart-3");

    assertConcurrencyConflict(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend("cart-1", ExpectedVersion.exactly(1), notes("a1")),
                        new StreamAppend("cart-3", ExpectedVersion.noStream(), notes("c1")),
                        new StreamAppend("cart-2", ExpectedVersion.exactly(1), notes("b2")))),
        "cart-2",
        ExpectedVersion.exactly(1),
        2);

    assertUnchanged(before, store());
    assertThat(store().streamInfo("cart-3")).isEmpty();
  }

  @Test
  void append_all_writes_nothing_when_one_stream_was_deleted() {
    store().append("cart-1", ExpectedVersion.any(), notes("a0"));
    store().append("cart-2", ExpectedVersion.any(), notes("b0"));
    store().deleteStream("cart-2", ExpectedVersion.any());
    Snapshot before = snapshot(store(), "cart-1", "cart-2");

    assertThatThrownBy(
            () ->
                store()
                    .appendAll(
                        List.of(
                            new StreamAppend("cart-1", ExpectedVersion.any(), notes("a1")),
                            new StreamAppend("cart-2", ExpectedVersion.any(), notes("b1")))))
        .isInstanceOf(StreamDeletedException.class);

    assertUnchanged(before, store());
  }

  // ---- Deletion

  @Test
  void soft_deleted_stream_can_no_longer_be_read() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));

    store().deleteStream("cart-1", ExpectedVersion.exactly(2));

    assertThatThrownBy(() -> store().readStream("cart-1"))
        .isInstanceOfSatisfying(
            StreamDeletedException.class, e -> assertThat(e.streamId()).isEqualTo("cart-1"));
    assertThatThrownBy(() -> store().readStream("cart-1", StreamRead.backwards().limit(1)))
        .isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void soft_deleted_stream_can_no_longer_be_appended_to() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    store().deleteStream("cart-1", ExpectedVersion.any());
    Snapshot before = snapshot(store(), "cart-1");

    for (ExpectedVersion expected :
        List.of(
            ExpectedVersion.any(),
            ExpectedVersion.noStream(),
            ExpectedVersion.streamExists(),
            ExpectedVersion.exactly(2),
            ExpectedVersion.exactly(0))) {
      assertThatThrownBy(() -> store().append("cart-1", expected, notes("c")))
          .as("append with %s", expected)
          .isInstanceOfSatisfying(
              StreamDeletedException.class, e -> assertThat(e.streamId()).isEqualTo("cart-1"));
    }
    assertUnchanged(before, store());
  }

  @Test
  void soft_deleted_stream_keeps_its_events_in_the_log() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    store().append("cart-2", ExpectedVersion.any(), notes("c"));
    List<RecordedEvent> before = log(store());

    store().deleteStream("cart-1", ExpectedVersion.streamExists());

    assertThat(log(store())).isEqualTo(before);
    assertThat(texts(store(), log(store(), LogQuery.all().categories(Set.of("cart")))))
        .containsExactly("a", "b", "c");
  }

  @Test
  void stream_info_reports_a_soft_deleted_stream_with_its_version() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));

    store().deleteStream("cart-1", ExpectedVersion.any());

    assertThat(store().streamInfo("cart-1")).contains(new StreamInfo("cart-1", 2, null, true));
  }

  @Test
  void rejects_delete_when_expected_version_is_stale() {
    store().append("cart-1", ExpectedVersion.any(), notes("a", "b"));
    Snapshot before = snapshot(store(), "cart-1");

    assertConcurrencyConflict(
        () -> store().deleteStream("cart-1", ExpectedVersion.exactly(1)),
        "cart-1",
        ExpectedVersion.exactly(1),
        2);
    assertConcurrencyConflict(
        () -> store().deleteStream("cart-1", ExpectedVersion.noStream()),
        "cart-1",
        ExpectedVersion.noStream(),
        2);

    assertUnchanged(before, store());
    assertThat(texts(store(), store().readStream("cart-1"))).containsExactly("a", "b");
  }

  @Test
  void rejects_delete_with_stream_exists_when_the_stream_is_missing() {
    assertConcurrencyConflict(
        () -> store().deleteStream("cart-1", ExpectedVersion.streamExists()),
        "cart-1",
        ExpectedVersion.streamExists(),
        -1);
    assertThat(store().streamInfo("cart-1")).isEmpty();
  }

  @Test
  void deleting_a_deleted_stream_fails_with_stream_deleted() {
    store().append("cart-1", ExpectedVersion.any(), notes("a"));
    store().deleteStream("cart-1", ExpectedVersion.any());

    assertThatThrownBy(() -> store().deleteStream("cart-1", ExpectedVersion.any()))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(store().streamInfo("cart-1")).contains(new StreamInfo("cart-1", 1, null, true));
  }

  @Test
  void hard_delete_removes_the_streams_events_from_the_log_and_keeps_the_others() {
    store().append("cart-1", ExpectedVersion.any(), notes("a1"));
    store().append("cart-2", ExpectedVersion.any(), notes("b1"));
    store().append("cart-1", ExpectedVersion.any(), notes("a2"));
    List<RecordedEvent> others =
        log(store()).stream().filter(e -> e.streamId().equals("cart-2")).toList();

    store().hardDeleteStream("cart-1");

    assertThat(log(store())).isEqualTo(others);
    assertThat(log(store(), LogQuery.all().categories(Set.of("cart")))).isEqualTo(others);
  }

  @Test
  void hard_deleted_stream_stays_deleted() {
    List<EventData> erased = notes("a1", "a2");
    store().append("cart-1", ExpectedVersion.any(), erased);

    store().hardDeleteStream("cart-1");

    assertThat(store().streamInfo("cart-1"))
        .hasValueSatisfying(info -> assertThat(info.deleted()).isTrue());
    assertThatThrownBy(() -> store().readStream("cart-1"))
        .isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.any(), notes("b")))
        .isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.any(), erased))
        .as("retrying the erased events must not bring them back")
        .isInstanceOf(StreamDeletedException.class);
    assertThatThrownBy(() -> store().append("cart-1", ExpectedVersion.noStream(), notes("c")))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(log(store())).isEmpty();
  }

  @Test
  void hard_delete_after_soft_delete_removes_the_events() {
    store().append("cart-1", ExpectedVersion.any(), notes("a"));
    store().append("cart-2", ExpectedVersion.any(), notes("b"));
    store().deleteStream("cart-1", ExpectedVersion.any());

    store().hardDeleteStream("cart-1");

    assertThat(texts(store(), log(store()))).containsExactly("b");
    assertThat(store().streamInfo("cart-1"))
        .hasValueSatisfying(info -> assertThat(info.deleted()).isTrue());
  }

  @Test
  void positions_are_not_reused_after_a_hard_delete() {
    store().append("cart-1", ExpectedVersion.any(), notes("a"));
    AppendResult erased = store().append("cart-2", ExpectedVersion.any(), notes("b", "c"));
    store().hardDeleteStream("cart-2");

    AppendResult next = store().append("cart-3", ExpectedVersion.any(), notes("d"));

    assertThat(next.firstPosition()).isGreaterThan(erased.lastPosition());
  }

  // ---- Units of work

  @Test
  void unit_of_work_commits_appends_to_several_streams_together() {
    String result =
        store()
            .inTransaction(
                tx -> {
                  tx.append("order-1", ExpectedVersion.noStream(), notes("placed"));
                  tx.appendAll(
                      List.of(
                          new StreamAppend("stock-1", ExpectedVersion.any(), notes("reserved")),
                          new StreamAppend("order-1", ExpectedVersion.exactly(1), notes("paid"))));
                  return "done";
                });

    assertThat(result).isEqualTo("done");
    assertThat(texts(store(), store().readStream("order-1"))).containsExactly("placed", "paid");
    assertThat(texts(store(), store().readStream("stock-1"))).containsExactly("reserved");
    assertThat(texts(store(), log(store())))
        .as("the order of streams within one appendAll is not specified")
        .containsExactlyInAnyOrder("placed", "reserved", "paid")
        .startsWith("placed");
  }

  @Test
  void unit_of_work_sees_its_own_appends_in_expected_versions() {
    AppendResult second =
        store()
            .inTransaction(
                tx -> {
                  tx.append("order-1", ExpectedVersion.noStream(), notes("a"));
                  return tx.append("order-1", ExpectedVersion.exactly(1), notes("b"));
                });

    assertThat(second.firstVersion()).isEqualTo(2);
    assertThat(versions(store().readStream("order-1"))).containsExactly(1L, 2L);
  }

  @Test
  void unit_of_work_rolls_back_every_append_when_the_callback_throws() {
    store().append("order-1", ExpectedVersion.any(), notes("existing"));
    Snapshot before = snapshot(store(), "order-1", "stock-1");
    IOException failure = new IOException("payment service down");

    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        tx -> {
                          tx.append("order-1", ExpectedVersion.exactly(1), notes("paid"));
                          tx.append("stock-1", ExpectedVersion.noStream(), notes("reserved"));
                          throw failure;
                        }))
        .isSameAs(failure);

    assertUnchanged(before, store());
  }

  @Test
  void checked_exception_type_of_a_unit_of_work_reaches_the_caller() {
    class NotEnoughStock extends Exception {
      private static final long serialVersionUID = 1L;
    }
    NotEnoughStock thrown = null;
    try {
      store()
          .<Void, NotEnoughStock>inTransaction(
              tx -> {
                tx.append("stock-1", ExpectedVersion.any(), notes("reserved"));
                throw new NotEnoughStock();
              });
    } catch (NotEnoughStock e) {
      thrown = e;
    }

    assertThat(thrown).isNotNull();
    assertThat(store().streamInfo("stock-1")).isEmpty();
  }

  @Test
  void unit_of_work_rolls_back_on_an_unchecked_exception() {
    Snapshot before = snapshot(store(), "order-1");
    IllegalStateException failure = new IllegalStateException("bug");

    assertThatThrownBy(
            () ->
                store()
                    .inTransaction(
                        tx -> {
                          tx.append("order-1", ExpectedVersion.any(), notes("a"));
                          throw failure;
                        }))
        .isSameAs(failure);

    assertUnchanged(before, store());
  }

  @Test
  void unit_of_work_rolls_back_when_an_append_inside_conflicts() {
    store().append("stock-1", ExpectedVersion.any(), notes("s1", "s2"));
    Snapshot before = snapshot(store(), "order-1", "stock-1");

    assertConcurrencyConflict(
        () ->
            store()
                .inTransaction(
                    tx -> {
                      tx.append("order-1", ExpectedVersion.noStream(), notes("placed"));
                      return tx.append("stock-1", ExpectedVersion.exactly(1), notes("reserved"));
                    }),
        "stock-1",
        ExpectedVersion.exactly(1),
        2);

    assertUnchanged(before, store());
  }

  @Test
  void uncommitted_appends_are_never_visible_to_other_readers() throws Exception {
    store().append("other-1", ExpectedVersion.any(), notes("committed"));
    Snapshot before = snapshot(store(), "order-1", "other-1");
    ExecutorService reader = Executors.newSingleThreadExecutor();
    AtomicReference<Future<Snapshot>> seen = new AtomicReference<>();
    try {
      assertThatThrownBy(
              () ->
                  store()
                      .inTransaction(
                          tx -> {
                            tx.append("order-1", ExpectedVersion.noStream(), notes("uncommitted"));
                            seen.set(reader.submit(() -> snapshot(store(), "order-1", "other-1")));
                            try {
                              // Give a non-blocking (MVCC) reader the chance to read while the
                              // transaction is open; a blocked reader finishes after the rollback.
                              seen.get().get(250, TimeUnit.MILLISECONDS);
                            } catch (TimeoutException blocked) {
                              // The backend makes readers wait for writers: also fine.
                            }
                            throw new IOException("roll back");
                          }))
          .isInstanceOf(IOException.class);

      assertThat(seen.get().get(1, TimeUnit.MINUTES))
          .as("what another thread saw while the unit of work was open")
          .isEqualTo(before);
      assertUnchanged(before, store());
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void transaction_cannot_be_used_after_its_unit_of_work_ended() {
    AtomicReference<Transaction> leaked = new AtomicReference<>();
    store()
        .inTransaction(
            tx -> {
              leaked.set(tx);
              return tx.append("order-1", ExpectedVersion.any(), notes("a"));
            });
    Snapshot before = snapshot(store(), "order-1");

    assertThatThrownBy(() -> leaked.get().append("order-1", ExpectedVersion.any(), notes("late")))
        .isInstanceOf(EventStoreException.class);

    assertUnchanged(before, store());
  }

  // ---- Lifecycle

  @Test
  void closing_a_store_twice_is_harmless() {
    EventStore other = openFreshStore(c -> c);
    other.append("cart-1", ExpectedVersion.any(), notes("a"));

    other.close();
    other.close();
  }

  // ---- Helpers

  private void appendFiveToCart() {
    store().append("cart-1", ExpectedVersion.any(), notes("e1", "e2"));
    store().append("cart-2", ExpectedVersion.any(), notes("other"));
    store().append("cart-1", ExpectedVersion.any(), notes("e3", "e4", "e5"));
  }

  /** A {@link Numbers} value whose every field is awkward for JSON. */
  static Numbers sampleNumbers() {
    return new Numbers(
        -42,
        1L << 53 | 1,
        0.1,
        1.5f,
        new BigDecimal("19.90"),
        new BigDecimal("12345678901234567890.123456789"),
        BigInteger.TWO.pow(70),
        true,
        List.of("b", "a", "b"),
        Map.of("z", 1, "a", 2),
        new Nested("inner", List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L)),
        null);
  }

  static void assertStrictlyIncreasing(List<Long> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) <= values.get(i - 1)) {
        throw new AssertionError(
            "positions must strictly increase but "
                + values.get(i)
                + " at index "
                + i
                + " follows "
                + values.get(i - 1));
      }
    }
  }

  static Optional<Long> versionOf(EventStore store, String streamId) {
    return store.streamInfo(streamId).map(StreamInfo::version);
  }
}

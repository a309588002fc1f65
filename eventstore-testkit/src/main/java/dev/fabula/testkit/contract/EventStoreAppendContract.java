package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.ConcurrencyException;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.testkit.contract.ContractEvents.ItemAdded;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Appends and expected versions: how {@link EventStore#append} numbers streams and positions, when
 * it rejects an expected version, what a recorded event carries, multi-stream appends ({@link
 * EventStore#appendAll}) and closing a store. Run it against a backend with a subclass that
 * implements {@link #openStore}:
 *
 * <pre>{@code
 * class SqliteAppendTest extends EventStoreAppendContract {
 *   @TempDir static Path dir; // one database file; each store gets its own table prefix
 *
 *   @Override
 *   protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
 *     return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("events.db"), config,
 *         JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix)); // a test database: migrate on open
 *   }
 * }
 * }</pre>
 *
 * <p>The package documentation lists every suite a complete backend runs.
 */
public abstract class EventStoreAppendContract extends StoreContractSupport {

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

  // ---- Lifecycle

  @Test
  void closing_a_store_twice_is_harmless() {
    EventStore other = openFreshStore(c -> c);
    other.append("cart-1", ExpectedVersion.any(), notes("a"));

    other.close();
    other.close();
  }
}

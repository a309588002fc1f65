package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.ContractChecks.sampleNumbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventIdConflictException;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.Metadata;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.testkit.contract.ContractEvents.Note;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Idempotent retries by event id: a batch appended again with the same event ids returns the first
 * result and writes nothing, whatever the expected version and even after the stream moved on; an
 * event id reused for a different event is rejected with {@link EventIdConflictException}. Run it
 * with a subclass that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreIdempotencyContract extends StoreContractSupport {

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

    assertThat(original.replayed()).as("the first append wrote its events").isFalse();
    assertThat(retry).isEqualTo(original.withReplayed(true));
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

    assertThat(store().append("rich-1", ExpectedVersion.noStream(), batch)).isEqualTo(original.withReplayed(true));
    assertUnchanged(before, store());
  }

  @Test
  void retried_append_returns_the_first_result_when_metadata_is_set() {
    EventData event =
        note("a").withMetadata(Metadata.EMPTY.withCorrelationId("c-1").with("k", "v"));
    AppendResult original = store().append("cart-1", ExpectedVersion.noStream(), List.of(event));
    Snapshot before = snapshot(store(), "cart-1");

    assertThat(store().append("cart-1", ExpectedVersion.noStream(), List.of(event)))
        .isEqualTo(original.withReplayed(true));
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

    assertThat(original).extracting(AppendResult::replayed).containsOnly(false);
    assertThat(store().appendAll(appends))
        .isEqualTo(original.stream().map(r -> r.withReplayed(true)).toList());
    assertUnchanged(before, store());
  }

  @Test
  void an_append_says_whether_it_was_a_replay() {
    List<EventData> batch = notes("a", "b");

    AppendResult written = store().append("cart-1", ExpectedVersion.noStream(), batch);
    AppendResult replayed = store().append("cart-1", ExpectedVersion.noStream(), batch);
    AppendResult next = store().append("cart-1", ExpectedVersion.any(), notes("c"));

    assertThat(written.replayed()).isFalse();
    assertThat(replayed.replayed()).isTrue();
    assertThat(next.replayed()).isFalse();
  }

  @Test
  void a_retried_append_inside_a_transaction_says_it_was_a_replay() {
    List<EventData> batch = notes("a");
    AppendResult first = store().inTransaction(tx -> tx.append("cart-1", ExpectedVersion.noStream(), batch));

    AppendResult retry = store().inTransaction(tx -> tx.append("cart-1", ExpectedVersion.noStream(), batch));

    assertThat(first.replayed()).isFalse();
    assertThat(retry).isEqualTo(first.withReplayed(true));
  }

  static Optional<Long> versionOf(EventStore store, String streamId) {
    return store.streamInfo(streamId).map(StreamInfo::version);
  }
}

package dev.fabula.testkit.contract;

import static dev.fabula.testkit.contract.BadInputChecks.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.ExpectedVersion;
import dev.fabula.InvalidInputException;
import dev.fabula.Metadata;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamAppend;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import dev.fabula.testkit.contract.ContractEvents.Note;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Malformed stream ids and batches: null, blank, too long or control-character stream ids in every
 * call that takes one, and empty, null, duplicated or oversized batches, each fail with an {@link
 * InvalidInputException} whose message names the problem, and change nothing already stored. Run
 * it with a subclass that implements {@link #openStore}, as for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreBadStreamIdsAndBatchesContract extends StoreContractSupport {

  // ---- Stream ids

  @Test
  void rejects_a_null_stream_id() {
    for (ThrowingCallable call : usesOfStreamId(null)) {
      assertRejected(call, InvalidInputException.class, "stream id", "null");
    }
  }

  @Test
  void rejects_a_blank_stream_id() {
    for (String blank : List.of("", " ", "    ")) {
      for (ThrowingCallable call : usesOfStreamId(blank)) {
        assertRejected(call, InvalidInputException.class, "stream id", "blank");
      }
    }
  }

  @Test
  void rejects_a_stream_id_longer_than_256_characters() {
    String tooLong = "long-" + "x".repeat(252);
    assertThat(tooLong).hasSize(257);

    for (ThrowingCallable call : usesOfStreamId(tooLong)) {
      assertRejected(call, InvalidInputException.class, "stream id", "257", "256");
    }
  }

  @Test
  void accepts_stream_ids_of_256_characters() {
    List<String> ids = List.of("long-" + "x".repeat(251), "注".repeat(256), "😀".repeat(128));

    for (String id : ids) {
      assertThat(id).hasSize(256);
      store().append(id, ExpectedVersion.noStream(), notes(id.substring(0, 4)));
      assertThat(store().readStream(id)).extracting(RecordedEvent::streamId).containsExactly(id);
      assertThat(store().streamInfo(id).map(StreamInfo::streamId)).contains(id);
    }
    assertThat(log(store())).extracting(RecordedEvent::streamId).containsExactlyElementsOf(ids);
  }

  @Test
  void rejects_stream_ids_with_control_characters() {
    List<String> ids =
        List.of(
            "a\nb",
            "a\rb",
            "a\u0000b",
            "a\tb",
            "a\u001Bb",
            "a\u007Fb",
            "a\u0085b",
            "\nleading",
            "trailing\u0007");
    for (String id : ids) {
      for (ThrowingCallable call : usesOfStreamId(id)) {
        assertRejected(call, InvalidInputException.class, "stream id", "control character");
      }
    }
  }

  /** Every call that takes a stream id, with {@code streamId}. */
  private List<ThrowingCallable> usesOfStreamId(String streamId) {
    EventStore s = store();
    return List.of(
        () -> s.append(streamId, ExpectedVersion.any(), notes("x")),
        () -> s.appendAll(List.of(new StreamAppend(streamId, ExpectedVersion.any(), notes("x")))),
        () ->
            s.appendAll(
                List.of(
                    new StreamAppend(TARGET, ExpectedVersion.any(), notes("x")),
                    new StreamAppend(streamId, ExpectedVersion.any(), notes("y")))),
        () -> s.inTransaction(tx -> tx.append(streamId, ExpectedVersion.any(), notes("x"))),
        () -> s.forTenant("acme").append(streamId, ExpectedVersion.any(), notes("x")),
        () -> s.readStream(streamId),
        () -> s.readStream(streamId, StreamRead.backwards().limit(1)),
        () -> s.streamInfo(streamId),
        () -> s.deleteStream(streamId, ExpectedVersion.any()),
        () -> s.hardDeleteStream(streamId));
  }

  // ---- Batches

  @Test
  void rejects_an_empty_batch() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of()),
        InvalidInputException.class,
        "empty",
        "at least one");
    assertRejected(() -> store().appendAll(List.of()), InvalidInputException.class, "at least one");
    assertRejected(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend("seed-1", ExpectedVersion.any(), notes("x")),
                        new StreamAppend(TARGET, ExpectedVersion.any(), List.of()))),
        InvalidInputException.class,
        "empty",
        TARGET);
    assertRejected(
        () -> store().inTransaction(tx -> tx.append(TARGET, ExpectedVersion.any(), List.of())),
        InvalidInputException.class,
        "empty");
  }

  @Test
  void rejects_a_null_list_of_events() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), null),
        InvalidInputException.class,
        "must not be null");
    assertRejected(() -> store().appendAll(null), InvalidInputException.class, "at least one");
    assertRejected(
        () -> new StreamAppend(TARGET, ExpectedVersion.any(), null),
        InvalidInputException.class,
        "must not be null");
  }

  @Test
  void rejects_a_null_event_in_a_batch() {
    List<EventData> withNull = Arrays.asList(note("a"), null);

    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), withNull),
        InvalidInputException.class,
        "must not be null");
    assertRejected(
        () ->
            store()
                .appendAll(
                    Arrays.asList(
                        new StreamAppend(TARGET, ExpectedVersion.any(), notes("a")), null)),
        InvalidInputException.class,
        "must not be null");
    assertRejected(
        () -> new EventData(null, new Note("x"), Metadata.EMPTY),
        InvalidInputException.class,
        "must not be null");
    assertRejected(
        () -> new EventData(java.util.UUID.randomUUID(), null, Metadata.EMPTY),
        InvalidInputException.class,
        "must not be null");
  }

  @Test
  void rejects_a_null_expected_version() {
    assertRejected(
        () -> store().append(TARGET, null, notes("x")),
        InvalidInputException.class,
        "expected version");
    assertRejected(
        () -> store().deleteStream("seed-1", null),
        InvalidInputException.class,
        "expected version");
  }

  @Test
  void rejects_duplicate_event_ids_within_one_append() {
    EventData event = note("a");
    EventData sameId = EventData.of(new Note("b")).withEventId(event.eventId());

    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of(event, sameId)),
        InvalidInputException.class,
        "twice",
        event.eventId().toString());
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), List.of(event, event)),
        InvalidInputException.class,
        "twice");
    assertRejected(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend(TARGET, ExpectedVersion.any(), List.of(event)),
                        new StreamAppend("target-2", ExpectedVersion.any(), List.of(sameId)))),
        InvalidInputException.class,
        "twice");
    assertThat(store().streamInfo("target-2")).isEmpty();
  }

  @Test
  void rejects_the_same_stream_twice_in_one_append_all() {
    assertRejected(
        () ->
            store()
                .appendAll(
                    List.of(
                        new StreamAppend(TARGET, ExpectedVersion.any(), notes("a")),
                        new StreamAppend(TARGET, ExpectedVersion.any(), notes("b")))),
        InvalidInputException.class,
        "twice",
        TARGET);
  }

  @Test
  void rejects_a_batch_over_the_batch_limit() {
    assertRejected(
        () -> store().append(TARGET, ExpectedVersion.any(), notes("n", 10_001)),
        InvalidInputException.class,
        "10001",
        "10000");
  }

  // ---- Helpers

  /** Asserts a rejection on this test's main store: see {@link BadInputChecks#assertRejected}. */
  private void assertRejected(
      ThrowingCallable call, Class<? extends Throwable> type, String... fragments) {
    BadInputChecks.assertRejected(store(), call, type, fragments);
  }
}

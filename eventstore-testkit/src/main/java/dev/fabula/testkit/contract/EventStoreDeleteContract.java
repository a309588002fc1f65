package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamDeletedException;
import dev.fabula.StreamInfo;
import dev.fabula.StreamRead;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Deleting streams: a soft delete hides a stream from reads and appends but keeps its events in the
 * log; a hard delete removes them; both check the expected version, and positions are never reused.
 * Run it with a subclass that implements {@link #openStore}, as for {@link
 * EventStoreAppendContract}.
 */
public abstract class EventStoreDeleteContract extends StoreContractSupport {

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
}

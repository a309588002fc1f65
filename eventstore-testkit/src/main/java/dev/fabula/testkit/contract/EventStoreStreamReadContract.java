package dev.fabula.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.StreamRead;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reading one stream: forwards and backwards, from a version, with a limit, an unknown stream, and
 * streams whose ids share a prefix. Run it with a subclass that implements {@link #openStore}, as
 * for {@link EventStoreAppendContract}.
 */
public abstract class EventStoreStreamReadContract extends StoreContractSupport {

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

  private void appendFiveToCart() {
    store().append("cart-1", ExpectedVersion.any(), notes("e1", "e2"));
    store().append("cart-2", ExpectedVersion.any(), notes("other"));
    store().append("cart-1", ExpectedVersion.any(), notes("e3", "e4", "e5"));
  }
}

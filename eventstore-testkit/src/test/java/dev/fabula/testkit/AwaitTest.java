package dev.fabula.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
  @Test
  void returns_once_the_condition_holds() {
    AtomicInteger looks = new AtomicInteger();

    Await.until("the third look", Duration.ofSeconds(10), () -> looks.incrementAndGet() >= 3);

    assertThat(looks).hasValue(3);
  }

  @Test
  void a_condition_that_holds_at_once_is_looked_at_once() {
    AtomicInteger looks = new AtomicInteger();

    Await.until("nothing", Duration.ZERO, () -> looks.incrementAndGet() > 0);

    assertThat(looks).hasValue(1);
  }

  @Test
  void a_timeout_names_what_was_awaited() {
    assertThatThrownBy(() -> Await.until("the runner to stop", Duration.ofMillis(30), () -> false))
        .isInstanceOf(AssertionError.class)
        .hasMessage("timed out after PT0.03S awaiting: the runner to stop");
  }

  @Test
  void value_returns_the_first_accepted_value_and_a_timeout_shows_the_last_one_seen() {
    AtomicInteger counter = new AtomicInteger();

    assertThat(Await.value("four", Duration.ofSeconds(10), counter::incrementAndGet, n -> n >= 4)).isEqualTo(4);
    assertThatThrownBy(() -> Await.value("a negative number", Duration.ofMillis(30), () -> 7, n -> n < 0))
        .isInstanceOf(AssertionError.class)
        .hasMessage("timed out after PT0.03S awaiting: a negative number; last seen: 7");
  }

  @Test
  void an_interrupt_ends_the_wait_and_keeps_the_interrupt_status() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> Await.until("something", Duration.ofSeconds(10), () -> false))
          .isInstanceOf(AssertionError.class)
          .hasMessage("interrupted while awaiting: something");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}

package dev.fabula.jdbc.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The waits of {@link Backoff}: jittered, growing, capped, cut to the window. */
class BackoffTest {
  private final Backoff backoff = Backoff.of(Duration.ofMillis(50), Duration.ofSeconds(2));

  @Test
  void waits_between_half_and_all_of_a_cap_that_doubles_up_to_the_longest() {
    for (int i = 0; i < 200; i++) {
      assertThat(backoff.pause(1)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
      assertThat(backoff.pause(2)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
      assertThat(backoff.pause(4)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(backoff.pause(7)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
      assertThat(backoff.pause(1_000)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }
  }

  @Test
  void a_window_counts_failures_and_cuts_the_last_wait_to_what_is_left() {
    Backoff.Window tries = Backoff.of(Duration.ofSeconds(10), Duration.ofSeconds(10)).window(Duration.ofSeconds(1));

    Optional<Duration> pause = tries.next();

    assertThat(pause).hasValueSatisfying(p -> assertThat(p).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1)));
    assertThat(tries.failures()).isEqualTo(1);
    assertThat(tries.hasTime()).isTrue();
  }

  @Test
  void a_window_that_is_over_says_stop() {
    Backoff.Window tries = backoff.window(Duration.ZERO);

    assertThat(tries.hasTime()).isFalse();
    assertThat(tries.next()).isEmpty();
    assertThat(tries.failures()).isEqualTo(1);
  }

  @Test
  void an_interrupted_sleep_says_stop_and_keeps_the_interrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThat(Backoff.sleep(Duration.ofSeconds(10))).isFalse();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(Backoff.sleep(Duration.ofNanos(1))).isTrue();
  }

  @Test
  void refuses_waits_that_cannot_grow() {
    assertThatThrownBy(() -> Backoff.of(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> Backoff.of(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2S and PT1S");
  }
}

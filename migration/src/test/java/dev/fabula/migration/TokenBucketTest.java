package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.migration.internal.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The importer's rate limit, with a fake clock. */
class TokenBucketTest {

  /** A clock that only moves when the fake sleeper sleeps. */
  static final class FakeTime extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();

    @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
    @Override public Instant instant() { return now; }

    Sleeper sleeper() {
      return d -> {
        sleeps.add(d);
        now = now.plus(d);
      };
    }
  }

  @Test
  void holds_the_average_rate_to_the_limit_even_with_batches_larger_than_the_rate() {
    FakeTime time = new FakeTime();
    TokenBucket bucket = new TokenBucket(100, time, time.sleeper());
    Instant start = time.now;
    for (int i = 0; i < 10; i++) {
      bucket.acquire(50);
    }
    // 500 rows at 100 rows/s: the first second's burst is free, the other 400 rows take 4 s.
    assertThat(Duration.between(start, time.now)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void never_sleeps_without_a_limit() {
    FakeTime time = new FakeTime();
    TokenBucket bucket = new TokenBucket(0, time, time.sleeper());
    bucket.acquire(1_000_000);
    assertThat(time.sleeps).isEmpty();
  }
}

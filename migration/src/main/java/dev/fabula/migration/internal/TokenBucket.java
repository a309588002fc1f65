package dev.fabula.migration.internal;

import dev.fabula.migration.MigrationException;
import dev.fabula.migration.Sleeper;
import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket that holds an import to {@code rate} rows per second on average, with a burst of
 * one second's worth. Taking more tokens than the bucket holds drives it negative, and the caller
 * sleeps until it would be back at zero: so a batch larger than the rate still averages out. Not
 * thread-safe: one importer thread uses it.
 */
public final class TokenBucket {
  private final double rate;
  private final Clock clock;
  private final Sleeper sleeper;
  private double tokens;
  private long lastMillis;

  /** A bucket of {@code rate} tokens per second; {@code rate <= 0} means unlimited. */
  public TokenBucket(double rate, Clock clock, Sleeper sleeper) {
    this.rate = rate;
    this.clock = clock;
    this.sleeper = sleeper;
    this.tokens = rate;
    this.lastMillis = clock.millis();
  }

  /** Takes {@code n} tokens, sleeping as long as the rate demands. */
  public void acquire(int n) {
    if (rate <= 0) {
      return;
    }
    long now = clock.millis();
    tokens = Math.min(rate, tokens + (now - lastMillis) * rate / 1000.0);
    lastMillis = now;
    tokens -= n;
    if (tokens < 0) {
      long waitMillis = (long) Math.ceil(-tokens * 1000.0 / rate);
      try {
        sleeper.sleep(Duration.ofMillis(waitMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MigrationException("the import was interrupted while rate-limited; run it again to resume", e);
      }
      // The sleep paid the debt: start the next refill from here.
      tokens = 0;
      lastMillis = clock.millis();
    }
  }
}

package dev.fabula.examples.bookings.spring;

import dev.fabula.scheduler.RetryPolicy;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code bookings.*} properties: what the plain example's {@code PlatformConfig} holds and the
 * starter's {@code fabula.*} properties do not (the table prefix, poll intervals and worker threads
 * are {@code fabula.jdbc.table-prefix}, {@code fabula.scheduler.*} and {@code fabula.projections.*}).
 */
@ConfigurationProperties("bookings")
public class BookingsProperties {
  /** Attempts of each saga step (payment capture, confirmation, compensation) before it fails for good. */
  private int stepMaxAttempts = RetryPolicy.DEFAULT.maxAttempts();
  /** Delay before a failed step's first retry; each further retry waits twice as long. */
  private Duration stepRetryDelay = RetryPolicy.DEFAULT.baseDelay();
  /** A staff schedule is snapshotted whenever its version passes a multiple of this. */
  private int snapshotEvery = 50;

  public int getStepMaxAttempts() {
    return stepMaxAttempts;
  }

  public void setStepMaxAttempts(int stepMaxAttempts) {
    this.stepMaxAttempts = stepMaxAttempts;
  }

  public Duration getStepRetryDelay() {
    return stepRetryDelay;
  }

  public void setStepRetryDelay(Duration stepRetryDelay) {
    this.stepRetryDelay = stepRetryDelay;
  }

  public int getSnapshotEvery() {
    return snapshotEvery;
  }

  public void setSnapshotEvery(int snapshotEvery) {
    this.snapshotEvery = snapshotEvery;
  }

  /** The saga steps' retry policy. */
  public RetryPolicy stepRetries() {
    return RetryPolicy.DEFAULT.withMaxAttempts(stepMaxAttempts).withBaseDelay(stepRetryDelay);
  }
}

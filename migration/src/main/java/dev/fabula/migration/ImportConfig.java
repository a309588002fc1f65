package dev.fabula.migration;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How an import runs. Immutable; start from {@link #DEFAULT} and derive with the withers, which
 * refuse bad values (quoting them) rather than correcting them.
 *
 * @param batchSize rows per transaction (and per checkpoint), 1 to 10,000
 * @param rowsPerSecond the rate limit, 0 for none
 * @param tenant the tenant to import into ({@code store.forTenant}), or null for the unconfined store
 * @param progressInterval how often progress is logged at INFO
 * @param countTotal whether to count the source's rows first (for the estimated time left)
 * @param clock the clock for rates and the rate limit
 * @param sleeper how to wait when ahead of the rate limit
 * @param onProgress called after every batch, on the importing thread; keep it fast
 */
public record ImportConfig(
    int batchSize,
    double rowsPerSecond,
    @Nullable String tenant,
    Duration progressInterval,
    boolean countTotal,
    Clock clock,
    Sleeper sleeper,
    Consumer<ImportProgress> onProgress) {

  /** Batches of 500 rows, no rate limit, no tenant, progress logged every 10 s. */
  public static final ImportConfig DEFAULT =
      new ImportConfig(500, 0, null, Duration.ofSeconds(10), true, Clock.systemUTC(), Sleeper.SYSTEM, p -> {});

  /** Validates every component. */
  public ImportConfig {
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize must be 1 to 10,000, got " + batchSize);
    }
    if (!(rowsPerSecond >= 0) || Double.isInfinite(rowsPerSecond)) {
      throw new IllegalArgumentException("rowsPerSecond must be 0 (no limit) or positive, got " + rowsPerSecond);
    }
    if (tenant != null && tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must be null or not blank, got '" + tenant + "'");
    }
    Objects.requireNonNull(progressInterval, "progressInterval");
    if (progressInterval.isNegative()) {
      throw new IllegalArgumentException("progressInterval must not be negative, got " + progressInterval);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(onProgress, "onProgress");
  }

  /** Returns a copy with another batch size. */
  public ImportConfig withBatchSize(int value) {
    return new ImportConfig(value, rowsPerSecond, tenant, progressInterval, countTotal, clock, sleeper, onProgress);
  }

  /** Returns a copy with another rate limit (0 for none). */
  public ImportConfig withRowsPerSecond(double value) {
    return new ImportConfig(batchSize, value, tenant, progressInterval, countTotal, clock, sleeper, onProgress);
  }

  /** Returns a copy importing into {@code value}'s tenant. */
  public ImportConfig withTenant(@Nullable String value) {
    return new ImportConfig(batchSize, rowsPerSecond, value, progressInterval, countTotal, clock, sleeper, onProgress);
  }

  /** Returns a copy logging progress every {@code value}. */
  public ImportConfig withProgressInterval(Duration value) {
    return new ImportConfig(batchSize, rowsPerSecond, tenant, value, countTotal, clock, sleeper, onProgress);
  }

  /** Returns a copy that does or does not count the source first. */
  public ImportConfig withCountTotal(boolean value) {
    return new ImportConfig(batchSize, rowsPerSecond, tenant, progressInterval, value, clock, sleeper, onProgress);
  }

  /** Returns a copy with another clock. */
  public ImportConfig withClock(Clock value) {
    return new ImportConfig(batchSize, rowsPerSecond, tenant, progressInterval, countTotal, value, sleeper, onProgress);
  }

  /** Returns a copy with another sleeper. */
  public ImportConfig withSleeper(Sleeper value) {
    return new ImportConfig(batchSize, rowsPerSecond, tenant, progressInterval, countTotal, clock, value, onProgress);
  }

  /** Returns a copy calling {@code value} after every batch. */
  public ImportConfig withOnProgress(Consumer<ImportProgress> value) {
    return new ImportConfig(batchSize, rowsPerSecond, tenant, progressInterval, countTotal, clock, sleeper, value);
  }
}

package dev.fabula.migration;

import java.time.Duration;

/**
 * How a {@link TenantMove} copies. Immutable; start from {@link #DEFAULT}.
 *
 * @param batchSize events copied per transaction of the target (default 500)
 * @param fenceBelow the move fences the tenant once a catch-up round copied fewer events than this
 *     (default 200): the fewer, the shorter the fence
 * @param maxCatchUpRounds catch-up rounds before the move fences anyway (default 20), so a tenant
 *     written faster than the copy still moves (with a longer fence)
 * @param fenceTimeout the longest the move waits for the tenant's writes in flight to end when it
 *     sets the fence, as PostgreSQL's {@code lock_timeout} (default 10 s); past it the move stops,
 *     unfenced, to be run again
 */
public record TenantMoveConfig(int batchSize, int fenceBelow, int maxCatchUpRounds, Duration fenceTimeout) {
  /** 500 events a batch, fence below 200, at most 20 rounds, 10 s fence timeout. */
  public static final TenantMoveConfig DEFAULT = new TenantMoveConfig(500, 200, 20, Duration.ofSeconds(10));

  /** Validates. */
  public TenantMoveConfig {
    if (batchSize < 1 || batchSize > 10_000) {
      throw new MigrationException("batchSize must be 1 to 10000, not " + batchSize);
    }
    if (fenceBelow < 1) {
      throw new MigrationException("fenceBelow must be at least 1, not " + fenceBelow);
    }
    if (maxCatchUpRounds < 0) {
      throw new MigrationException("maxCatchUpRounds must be zero or more, not " + maxCatchUpRounds);
    }
    if (fenceTimeout == null || fenceTimeout.isNegative() || fenceTimeout.isZero()) {
      throw new MigrationException("fenceTimeout must be positive, not " + fenceTimeout);
    }
  }

  /** This configuration with another batch size. */
  public TenantMoveConfig withBatchSize(int value) {
    return new TenantMoveConfig(value, fenceBelow, maxCatchUpRounds, fenceTimeout);
  }

  /** This configuration with another fence threshold. */
  public TenantMoveConfig withFenceBelow(int value) {
    return new TenantMoveConfig(batchSize, value, maxCatchUpRounds, fenceTimeout);
  }

  /** This configuration with another most catch-up rounds. */
  public TenantMoveConfig withMaxCatchUpRounds(int value) {
    return new TenantMoveConfig(batchSize, fenceBelow, value, fenceTimeout);
  }

  /** This configuration with another fence timeout. */
  public TenantMoveConfig withFenceTimeout(Duration value) {
    return new TenantMoveConfig(batchSize, fenceBelow, maxCatchUpRounds, value);
  }
}

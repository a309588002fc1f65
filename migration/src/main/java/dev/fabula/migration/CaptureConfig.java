package dev.fabula.migration;

import org.jspecify.annotations.Nullable;

/**
 * How a {@link CaptureRunner} runs. Immutable; start from {@link #DEFAULT}.
 *
 * @param batchSize changes per transaction, 1 to 10,000
 * @param tenant the tenant to append into, or null for the unconfined store
 * @param waitForImport the name of the import (its source name) that must have finished once before
 *     any change is applied, or null to apply at once; see {@link CaptureRunner} for why
 */
public record CaptureConfig(int batchSize, @Nullable String tenant, @Nullable String waitForImport) {

  /** Batches of 500, no tenant, no import to wait for. */
  public static final CaptureConfig DEFAULT = new CaptureConfig(500, null, null);

  /** Validates. */
  public CaptureConfig {
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize must be 1 to 10,000, got " + batchSize);
    }
    if (tenant != null && tenant.isBlank()) {
      throw new IllegalArgumentException("tenant must be null or not blank, got '" + tenant + "'");
    }
  }

  /** Returns a copy with another batch size. */
  public CaptureConfig withBatchSize(int value) {
    return new CaptureConfig(value, tenant, waitForImport);
  }

  /** Returns a copy appending into {@code value}'s tenant. */
  public CaptureConfig withTenant(@Nullable String value) {
    return new CaptureConfig(batchSize, value, waitForImport);
  }

  /** Returns a copy that holds changes back until import {@code value} has finished once. */
  public CaptureConfig withWaitForImport(@Nullable String value) {
    return new CaptureConfig(batchSize, tenant, value);
  }
}

package dev.fabula.jdbc;

import dev.fabula.InvalidInputException;
import java.time.Duration;

/**
 * How a {@link TenantDatabases} store routes tenants. Immutable; start from {@link #DEFAULT}.
 *
 * @param placementCacheTime how long a tenant's placement read from the directory is trusted
 *     before it is read again (default 1 s). Writes never go astray with a stale placement: the old
 *     database fences a tenant that moved away, and the write is sent to the new one. A read may see
 *     the old database's copy of a tenant that has just moved for up to this long.
 * @param fenceWait how long a plain write (append, delete) that met a tenant's move fence waits for
 *     the move to switch before it fails with {@link dev.fabula.TenantMovingException} (default 10
 *     s); a move's fence normally lasts well under a second
 */
public record TenantRoutingConfig(Duration placementCacheTime, Duration fenceWait) {
  /** 1 s placement cache, 10 s fence wait. */
  public static final TenantRoutingConfig DEFAULT = new TenantRoutingConfig(Duration.ofSeconds(1), Duration.ofSeconds(10));

  /** Validates. */
  public TenantRoutingConfig {
    if (placementCacheTime == null || placementCacheTime.isNegative()) {
      throw new InvalidInputException("placementCacheTime must be zero or more, not " + placementCacheTime);
    }
    if (fenceWait == null || fenceWait.isNegative()) {
      throw new InvalidInputException("fenceWait must be zero or more, not " + fenceWait);
    }
  }

  /** This configuration with another placement cache time. */
  public TenantRoutingConfig withPlacementCacheTime(Duration value) {
    return new TenantRoutingConfig(value, fenceWait);
  }

  /** This configuration with another fence wait. */
  public TenantRoutingConfig withFenceWait(Duration value) {
    return new TenantRoutingConfig(placementCacheTime, value);
  }
}

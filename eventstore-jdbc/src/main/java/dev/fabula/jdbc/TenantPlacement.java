package dev.fabula.jdbc;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the {@link TenantDirectory} places a tenant.
 *
 * @param tenantId the tenant
 * @param database the name of the database its events live in (a key of {@link
 *     TenantDatabases#databases()})
 * @param movingTo the database a move is copying it to, or null when no move is under way
 */
public record TenantPlacement(String tenantId, String database, @Nullable String movingTo) {

  /** Validates. */
  public TenantPlacement {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(database, "database");
  }

  /** Whether a move of the tenant is under way. */
  public boolean moving() {
    return movingTo != null;
  }
}

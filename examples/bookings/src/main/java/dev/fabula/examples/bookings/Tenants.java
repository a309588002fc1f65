package dev.fabula.examples.bookings;

/** Tenant ids: short, lower-case, safe in stream ids and import names (shared with the Spring twin). */
public final class Tenants {
  private Tenants() {}

  /** Returns {@code tenant} if it is a valid tenant id; throws {@link IllegalArgumentException} otherwise. */
  public static String check(String tenant) {
    if (tenant == null || !tenant.matches("[a-z0-9]+(-[a-z0-9]+)*") || tenant.length() > 40) {
      throw new IllegalArgumentException("a tenant id is 1 to 40 lower-case letters, digits and inner '-', not '" + tenant + "'");
    }
    return tenant;
  }
}

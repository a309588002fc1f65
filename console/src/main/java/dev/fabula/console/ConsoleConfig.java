package dev.fabula.console;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a console behaves: where it is mounted, whether it may change anything, whose data it shows.
 * Immutable; start from {@link #DEFAULT} and derive with the withers.
 *
 * @param basePath the path the console is mounted at, such as {@code /console}: starts with
 *     {@code /}, does not end with one, letters, digits, {@code -} and {@code _} only
 * @param readOnly when true, every action is refused on the server (and its buttons are hidden),
 *     whatever the user's permissions
 * @param tenantId when set, the console shows only this tenant's events, jobs and parked events,
 *     and hides what belongs to every tenant (schedules, the kill switch, projection rebuilds and
 *     promotions, the migration page)
 * @param pageSize rows per page of a list, 1 to 500
 * @param sessionIdle how long a signed-in session lasts without a request
 * @param secureCookie whether the session cookie is marked {@code Secure} (set it when served over
 *     HTTPS)
 */
public record ConsoleConfig(
    String basePath, boolean readOnly, @Nullable String tenantId, int pageSize, Duration sessionIdle, boolean secureCookie) {

  /** Mounted at {@code /console}, actions allowed, every tenant, 50 rows a page, 30 minutes idle. */
  public static final ConsoleConfig DEFAULT = new ConsoleConfig("/console", false, null, 50, Duration.ofMinutes(30), false);

  /** Validates. */
  public ConsoleConfig {
    if (!basePath.matches("(/[A-Za-z0-9_-]+)+")) {
      throw new ConsoleException("basePath must look like /console (letters, digits, - and _ between slashes, "
          + "no trailing slash) but was '" + basePath + "'");
    }
    if (tenantId != null && tenantId.isEmpty()) {
      throw new ConsoleException("tenantId must be null (every tenant) or not empty");
    }
    if (pageSize < 1 || pageSize > 500) {
      throw new ConsoleException("pageSize must be between 1 and 500 but was " + pageSize);
    }
    if (sessionIdle.isNegative() || sessionIdle.isZero()) {
      throw new ConsoleException("sessionIdle must be positive but was " + sessionIdle);
    }
  }

  /** Returns a copy mounted at {@code value}. */
  public ConsoleConfig withBasePath(String value) {
    return new ConsoleConfig(value, readOnly, tenantId, pageSize, sessionIdle, secureCookie);
  }

  /** Returns a copy that refuses (or allows) every action. */
  public ConsoleConfig withReadOnly(boolean value) {
    return new ConsoleConfig(basePath, value, tenantId, pageSize, sessionIdle, secureCookie);
  }

  /** Returns a copy that shows only {@code value}'s data (null: every tenant). */
  public ConsoleConfig withTenant(@Nullable String value) {
    return new ConsoleConfig(basePath, readOnly, value, pageSize, sessionIdle, secureCookie);
  }

  /** Returns a copy with {@code value} rows a page. */
  public ConsoleConfig withPageSize(int value) {
    return new ConsoleConfig(basePath, readOnly, tenantId, value, sessionIdle, secureCookie);
  }

  /** Returns a copy whose sessions last {@code value} without a request. */
  public ConsoleConfig withSessionIdle(Duration value) {
    return new ConsoleConfig(basePath, readOnly, tenantId, pageSize, value, secureCookie);
  }

  /** Returns a copy whose session cookie is (or is not) marked {@code Secure}. */
  public ConsoleConfig withSecureCookie(boolean value) {
    return new ConsoleConfig(basePath, readOnly, tenantId, pageSize, sessionIdle, value);
  }
}

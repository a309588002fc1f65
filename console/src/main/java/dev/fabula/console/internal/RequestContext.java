package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleUser;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One authenticated request as the pages see it: who, for which tenant, and the CSRF token. */
record RequestContext(ConsoleRequest request, ConsoleConfig config, ConsoleUser user, String csrf) {

  /** Actions that concern every tenant: never offered in a console opened for one tenant. */
  static final Set<ConsoleAction> EVERY_TENANT = EnumSet.of(
      ConsoleAction.REBUILD_PROJECTION, ConsoleAction.PROMOTE_PROJECTION, ConsoleAction.RESUME_PROJECTION,
      ConsoleAction.PAUSE_QUEUE, ConsoleAction.PAUSE_SCHEDULE, ConsoleAction.KILL_SWITCH, ConsoleAction.RUN_PARITY_CHECK);

  /** The base path, such as {@code /console}. */
  String base() {
    return config.basePath();
  }

  /** The tenant the console shows, or null for every tenant. */
  @Nullable String tenant() {
    return config.tenantId();
  }

  /** Whether this console and user may take {@code action} (what the server enforces, too). */
  boolean may(ConsoleAction action) {
    return !config.readOnly() && user.may(action) && (tenant() == null || !EVERY_TENANT.contains(action));
  }

  /** A query parameter, empty when absent or blank. */
  Optional<String> param(String name) {
    return Optional.ofNullable(request.query().get(name)).filter(s -> !s.isBlank());
  }

  /** A long query parameter, or {@code otherwise} when absent or not a number. */
  long longParam(String name, long otherwise) {
    try {
      return param(name).map(Long::parseLong).orElse(otherwise);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  /** A form field, empty when absent. */
  String field(String name) {
    return request.form().getOrDefault(name, "");
  }
}

package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAction;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One area of the console (projections, jobs, schedules, events): renders its pages and names the
 * actions its forms post. The console checks permission, CSRF and read-only mode, runs the action
 * and audits it; a section only checks that the target belongs to the console's tenant.
 */
interface Section {

  /** The first path segment it answers ({@code jobs}). */
  String segment();

  /** Its label in the navigation. */
  String label();

  /** The page for the path's segments after its own, or null for 404. */
  @Nullable Page get(RequestContext ctx, List<String> rest);

  /** The action a POST to the path's segments names, or null for 404. */
  @Nullable Action post(RequestContext ctx, List<String> rest);

  /** A rendered page body with its title. */
  record Page(String title, String body) {}

  /**
   * An action to run: what, on what (for the audit table), the work (returns whether it changed
   * anything), and the console path to show afterwards.
   */
  record Action(ConsoleAction action, String target, Supplier<Boolean> work, String then) {}

  /** Thrown for a target outside the console's tenant or malformed input: becomes a 404 or 400. */
  final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    Rejected(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}

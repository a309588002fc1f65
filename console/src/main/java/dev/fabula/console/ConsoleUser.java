package dev.fabula.console;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is using the console, as a {@link ConsoleAuthenticator} names them: a name for the audit
 * table, and the actions they may take (reading needs no permission beyond being authenticated).
 *
 * @param name the user's name as the audit table records it (1 to 200 characters)
 * @param allowed the actions this user may take; empty for a reader
 */
public record ConsoleUser(String name, Set<ConsoleAction> allowed) {

  /** Validates and copies. */
  public ConsoleUser {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new ConsoleException("a console user's name must be 1 to 200 characters and not blank");
    }
    allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
  }

  /** A user who may read every page and take no action. */
  public static ConsoleUser reader(String name) {
    return new ConsoleUser(name, Set.of());
  }

  /** A user who may take every action. */
  public static ConsoleUser operator(String name) {
    return new ConsoleUser(name, EnumSet.allOf(ConsoleAction.class));
  }

  /** Whether this user may take {@code action}. */
  public boolean may(ConsoleAction action) {
    return allowed.contains(action);
  }
}

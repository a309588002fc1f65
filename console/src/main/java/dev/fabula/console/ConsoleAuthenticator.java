package dev.fabula.console;

import dev.fabula.console.internal.TokenAuthenticator;
import java.util.Optional;

/**
 * Decides who is using the console: the hook through which the host application maps its own
 * users (and their roles) to {@link ConsoleUser}s. The console asks it on every request that
 * carries no signed-in console session; an empty answer means "not authenticated".
 *
 * <pre>{@code
 * // the host application's users: a servlet filter or your framework already authenticated them
 * ConsoleAuthenticator fromApp = request -> request.principal() instanceof AppUser u
 *     ? Optional.of(u.isAdmin() ? ConsoleUser.operator(u.name()) : ConsoleUser.reader(u.name()))
 *     : Optional.empty();
 * }</pre>
 *
 * <p>Implementations must be thread-safe. Never log or echo the secret they check.
 */
@FunctionalInterface
public interface ConsoleAuthenticator {

  /** The user making {@code request}, or empty when it carries no valid credentials. */
  Optional<ConsoleUser> authenticate(ConsoleRequest request);

  /**
   * The user a secret typed into the console's sign-in form names, or empty when it names none.
   * The default offers no sign-in form: users come from {@link #authenticate} only.
   */
  default Optional<ConsoleUser> signIn(String secret) {
    return Optional.empty();
  }

  /** Whether the console shows its sign-in form (true when {@link #signIn} is implemented). */
  default boolean offersSignIn() {
    return false;
  }

  /**
   * The default: one shared token, compared in constant time, either typed into the sign-in form
   * or sent as {@code Authorization: Bearer <token>}; whoever has it is {@code user}.
   *
   * @throws ConsoleException if the token is shorter than 16 characters
   */
  static ConsoleAuthenticator token(String token, ConsoleUser user) {
    return new TokenAuthenticator(token, user);
  }
}

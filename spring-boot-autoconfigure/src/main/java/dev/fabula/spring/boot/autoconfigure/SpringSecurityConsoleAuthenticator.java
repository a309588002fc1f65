package dev.fabula.spring.boot.autoconfigure;

import dev.fabula.console.ConsoleAction;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleUser;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The console's users are the application's Spring Security users: the request's principal (an
 * authenticated, not anonymous {@link Authentication}) with the operator authority may take every
 * action, with the reader authority only read; an authority {@code FABULA_<ACTION>} (such as
 * {@code FABULA_RETRY_JOB}) allows that one action. A user with none of these is not a console
 * user. Spring Security signs users in; the console offers no sign-in form of its own.
 */
final class SpringSecurityConsoleAuthenticator implements ConsoleAuthenticator {
  private final String operatorAuthority;
  private final String readerAuthority;

  SpringSecurityConsoleAuthenticator(String operatorAuthority, String readerAuthority) {
    this.operatorAuthority = operatorAuthority;
    this.readerAuthority = readerAuthority;
  }

  @Override
  public Optional<ConsoleUser> authenticate(ConsoleRequest request) {
    if (!(request.principal() instanceof Authentication user) || !user.isAuthenticated()
        || user instanceof AnonymousAuthenticationToken) {
      return Optional.empty();
    }
    boolean reader = false;
    Set<ConsoleAction> allowed = EnumSet.noneOf(ConsoleAction.class);
    for (GrantedAuthority granted : user.getAuthorities()) {
      String authority = granted.getAuthority();
      if (operatorAuthority.equals(authority)) {
        allowed.addAll(EnumSet.allOf(ConsoleAction.class));
      } else if (readerAuthority.equals(authority)) {
        reader = true;
      } else if (authority != null && authority.startsWith("FABULA_")) {
        for (ConsoleAction action : ConsoleAction.values()) {
          if (authority.equals("FABULA_" + action.name())) {
            allowed.add(action);
          }
        }
      }
    }
    return reader || !allowed.isEmpty() ? Optional.of(new ConsoleUser(user.getName(), allowed)) : Optional.empty();
  }
}

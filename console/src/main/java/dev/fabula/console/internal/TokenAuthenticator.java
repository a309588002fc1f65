package dev.fabula.console.internal;

import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleException;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleUser;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * One shared token. Compares SHA-256 digests with {@link MessageDigest#isEqual} (constant time, and
 * equal lengths whatever was typed), so neither the token's content nor its length leaks through
 * timing.
 */
public final class TokenAuthenticator implements ConsoleAuthenticator {
  private static final String BEARER = "Bearer ";
  private final byte[] digest;
  private final ConsoleUser user;

  /** A token authenticator; the token must have at least 16 characters. */
  public TokenAuthenticator(String token, ConsoleUser user) {
    if (token == null || token.length() < 16) {
      throw new ConsoleException("the console token must have at least 16 characters (a random one, such as "
          + "32 hex digits from a secure generator)");
    }
    this.digest = sha256(token);
    this.user = user;
  }

  @Override
  public Optional<ConsoleUser> authenticate(ConsoleRequest request) {
    return request.header("authorization")
        .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .flatMap(h -> signIn(h.substring(BEARER.length()).trim()));
  }

  @Override
  public Optional<ConsoleUser> signIn(String secret) {
    return MessageDigest.isEqual(digest, sha256(secret)) ? Optional.of(user) : Optional.empty();
  }

  @Override
  public boolean offersSignIn() {
    return true;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}

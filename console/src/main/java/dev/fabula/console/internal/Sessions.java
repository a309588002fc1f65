package dev.fabula.console.internal;

import dev.fabula.console.ConsoleUser;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The console's sessions, in memory: each holds its CSRF token, the signed-in user (when signed in
 * through the form) and a message for the next page. Ids and tokens are 256 random bits. A session
 * unused for the configured idle time is forgotten; at most {@link #MAX} are kept (the least
 * recently used go first), so requests without a cookie cannot fill the memory.
 */
final class Sessions {
  static final int MAX = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final long idleNanos;

  Sessions(Duration idle) {
    this.idleNanos = idle.toNanos();
  }

  /** One browser's session. */
  static final class Session {
    final String id;
    final String csrf;
    volatile @Nullable ConsoleUser user;
    volatile @Nullable String flash;
    volatile long lastSeen;

    Session(String id) {
      this.id = id;
      this.csrf = randomToken();
      this.lastSeen = System.nanoTime();
    }
  }

  /** The live session with {@code id}, touched; or null. */
  @Nullable Session find(@Nullable String id) {
    if (id == null) {
      return null;
    }
    Session s = sessions.get(id);
    if (s == null) {
      return null;
    }
    long now = System.nanoTime();
    if (now - s.lastSeen > idleNanos) {
      sessions.remove(id, s);
      return null;
    }
    s.lastSeen = now;
    return s;
  }

  /** A new session (with a new id and CSRF token). */
  Session create() {
    if (sessions.size() >= MAX) {
      evict();
    }
    Session s = new Session(randomToken());
    sessions.put(s.id, s);
    return s;
  }

  /** Forgets a session (sign-out, or replaced at sign-in so that a planted id never signs in). */
  void remove(Session session) {
    sessions.remove(session.id, session);
  }

  private void evict() {
    long now = System.nanoTime();
    sessions.values().removeIf(s -> now - s.lastSeen > idleNanos);
    if (sessions.size() >= MAX) {
      sessions.values().stream().sorted(Comparator.comparingLong((Session s) -> s.lastSeen))
          .limit(sessions.size() - MAX + 1L).toList().forEach(this::remove);
    }
  }

  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}

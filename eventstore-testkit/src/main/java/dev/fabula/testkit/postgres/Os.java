package dev.fabula.testkit.postgres;

import java.util.Locale;

/** Facts about the operating system the JVM runs on. Stateless; thread-safe. */
final class Os {

  private Os() {}

  /** Tells whether the JVM runs on Linux. */
  static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
  }

  /**
   * Returns the real user id of the JVM on Unix-like systems, or -1 when it cannot be told (for
   * example on Windows).
   */
  static long uid() {
    try {
      return new com.sun.security.auth.module.UnixSystem().getUid();
    } catch (Throwable t) {
      return -1;
    }
  }
}

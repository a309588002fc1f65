package dev.fabula.testkit.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs the short external commands of {@link UnprivilegedPostgres} ({@code id}, {@code initdb},
 * {@code pg_ctl}) to completion with a time limit, and finds a free port. Stateless; thread-safe.
 */
final class Commands {

  private Commands() {}

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

  /** Returns the numeric user ({@code -u}) or group ({@code -g}) id of {@code user}. */
  static String id(String user, String option) throws IOException {
    String out = run(List.of("id", option, user), null).trim();
    if (!out.matches("\\d+")) {
      throw new IOException("Unexpected output of 'id " + option + " " + user + "': " + out);
    }
    return out;
  }

  /**
   * Runs a command to completion, returning its combined output.
   *
   * @throws IOException if it cannot be started, times out or exits with a non-zero code
   */
  static String run(List<String> command, @Nullable Path directory) throws IOException {
    Path output = Files.createTempFile("fabula-pg-", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile());
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      Process process = builder.start();
      boolean exited;
      try {
        exited = process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("Interrupted while running " + command, e);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (!exited) {
        process.destroyForcibly();
        throw new IOException("Timed out after " + COMMAND_TIMEOUT + ": " + command + "\n" + text);
      }
      if (process.exitValue() != 0) {
        throw new IOException(
            "Exit code " + process.exitValue() + " from " + command + "\n" + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** Whether an executable named {@code name} is on the {@code PATH}. */
  static boolean onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

package dev.fabula.examples.bookings;

import dev.fabula.EventStoreConfig;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleServer;
import dev.fabula.console.ConsoleUser;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.BiConsumer;

/**
 * The admin console over the platform's database (fabula-console), served on a port of the
 * loopback interface with a fresh random token: the tour's bookings, sagas' jobs, projections and
 * events, for an operator to look at and act on.
 */
public final class AdminConsole {
  private AdminConsole() {}

  /**
   * Serves the console over {@code jdbcUrl} on {@code port} (0: any free port), prints where to
   * open it and the token to sign in with, and calls {@code whileOpen} with its address and token;
   * stops when that returns.
   */
  public static void serve(String jdbcUrl, int port, PrintStream out, BiConsumer<URI, String> whileOpen) {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String token = HexFormat.of().formatHex(random);
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withTablePrefix(PlatformConfig.DEFAULT.tablePrefix()).withMigrateOnOpen(true);
    try (JdbcEventStore store = JdbcEventStore.open(jdbcUrl, EventStoreConfig.DEFAULT.withEventTypes(BookingPlatform.eventTypes()), jdbc)) {
      Console console = Console.builder(store)
          .projections(Projections.open(store))
          .jobs(JobQueue.open(store, JobQueueConfig.DEFAULT))
          .authenticator(ConsoleAuthenticator.token(token, ConsoleUser.operator("tour")))
          .open();
      try (ConsoleServer server = ConsoleServer.start(console, port)) {
        out.println("Admin console: " + server.uri() + " (sign in with the token " + token + ")");
        whileOpen.accept(server.uri(), token);
      }
    }
  }
}

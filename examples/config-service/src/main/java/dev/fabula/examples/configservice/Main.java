package dev.fabula.examples.configservice;

import dev.fabula.examples.admin.AdminConsole;
import dev.fabula.jdbc.JdbcEventStore;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the config service: {@code Main [--port N] [--bench] [jdbc-url]}.
 *
 * <p>The JDBC URL defaults to {@value Settings#DEFAULT_JDBC_URL} (a SQLite file), the port to 8080.
 * Prints curl examples and serves until Ctrl-C, which stops it cleanly. With {@code
 * -Dconsole=<port>} it also serves the {@link AdminConsole} (the admin console and the service's
 * meters) on that port; without, it says how to. With {@code --bench} it measures GET and PUT
 * latency against itself, prints p50 and p95, and exits.
 */
public final class Main {

  private Main() {}

  /** Starts the server; see the class comment for the arguments. */
  public static void main(String[] args) throws InterruptedException {
    Settings settings = parse(args);
    boolean bench = java.util.Arrays.asList(args).contains("--bench");
    if (!bench) {
      // Show the audit lines (INFO) while serving; everything else stays at the quiet default of
      // simplelogger.properties. Set before the first logger is created, which reads the levels.
      System.setProperty("org.slf4j.simpleLogger.log." + AuditTrail.LOGGER, "info");
      System.setProperty("org.slf4j.simpleLogger.log." + ConfigServer.class.getName(), "info");
    }
    ConfigService.migrate(settings); // the demo owns its database; see the README for separate roles
    ConfigServer server = ConfigServer.start(settings);
    if (bench) {
      try (server) {
        System.out.println("Measuring 1000 GETs and 1000 PUTs against " + server.uri() + " ...");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Latency.measure(client, server.uri(), 1000).print(System.out);
      }
      return;
    }
    String consolePort = System.getProperty("console");
    AdminConsole console = consolePort == null ? null : console(server, Integer.parseInt(consolePort));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping the config service...");
      if (console != null) {
        console.close();
      }
      server.close();
      stopped.countDown();
    }, "config-service-shutdown"));
    String base = "http://localhost:" + server.port();
    System.out.println("Config service on " + base + " (" + JdbcEventStore.maskCredentials(settings.jdbcUrl()) + ")");
    System.out.println("Try:");
    System.out.println("  curl -i -X PUT " + base + "/config/db-url -H 'X-Actor: alice' -d '{\"value\": \"jdbc:postgresql://db/app\"}'");
    System.out.println("  curl -i -X PUT " + base + "/config/db-url -H 'If-Match: \"1\"' -d '{\"value\": \"jdbc:postgresql://db2/app\"}'");
    System.out.println("  curl -i " + base + "/config/db-url");
    System.out.println("  curl -i " + base + "/config");
    System.out.println("  curl -i " + base + "/config/db-url/history");
    System.out.println("  curl -i '" + base + "/config/db-url?at=2024-05-01T12:00:00Z'");
    System.out.println("  curl -i -X DELETE " + base + "/config/db-url");
    System.out.println("  curl -i -X PUT " + base + "/config/db-url -H 'If-None-Match: *' -d '{\"value\": \"again\"}'   # create again");
    if (console != null) {
      console.printWhere(System.out);
    } else {
      System.out.println("The admin console and the meters: add -Dconsole=8081, then open http://127.0.0.1:8081/console/"
          + " and http://127.0.0.1:8081/metrics");
    }
    System.out.println("Ctrl-C stops it.");
    stopped.await();
  }

  /**
   * Serves the {@link AdminConsole} (the admin console and the service's meters) over {@code
   * server}'s store and audit worker on {@code port} (0: any free one).
   */
  static AdminConsole console(ConfigServer server, int port) {
    return AdminConsole.start(server.service().store(), server.service().projections(), List.of(), port);
  }

  /** Reads {@code --port N} and the optional JDBC URL; other options ({@code --bench}) are left to the caller. */
  static Settings parse(String[] args) {
    Settings settings = Settings.DEFAULT;
    boolean urlSeen = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--port")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--port needs a number, such as --port 8080");
        }
        try {
          settings = settings.withPort(Integer.parseInt(args[++i]));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--port needs a number, such as --port 8080, not '" + args[i] + "'");
        }
      } else if (arg.equals("--bench")) {
        continue;
      } else if (arg.startsWith("--")) {
        throw new IllegalArgumentException("unknown option " + arg + "; use [--port N] [--bench] [jdbc-url]");
      } else if (!urlSeen) {
        settings = settings.withJdbcUrl(arg);
        urlSeen = true;
      } else {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'; use [--port N] [--bench] [jdbc-url]");
      }
    }
    return settings;
  }
}

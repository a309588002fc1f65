package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.fabula.EventStoreConfig;
import dev.fabula.console.AuditEntry;
import dev.fabula.console.Console;
import dev.fabula.console.ConsoleAuthenticator;
import dev.fabula.console.ConsoleConfig;
import dev.fabula.console.ConsoleRequest;
import dev.fabula.console.ConsoleResponse;
import dev.fabula.console.ConsoleServer;
import dev.fabula.console.ConsoleUser;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.Migrations;
import dev.fabula.migration.ParityCheck;
import dev.fabula.migration.ParityConfig;
import dev.fabula.projections.Projections;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/console.md, run on a SQLite file. */
class ConsoleGuideTest {
  @TempDir Path dir;

  /** A user of the host application, as its own authentication knows it. */
  record AppUser(String name, boolean admin) {}

  private static int get(URI uri, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void the_console_serves_its_pages_on_a_port_of_its_own() throws Exception {
    String secret = "a-long-random-token-from-your-vault";
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      Projections projections = Projections.open(store);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      // snippet:standalone
      Console console = Console.builder(store)
          .projections(projections)                    // optional: needs fabula-projections
          .jobs(queue)                                 // optional: needs fabula-scheduler
          .authenticator(ConsoleAuthenticator.token(secret, ConsoleUser.operator("ops")))
          .open();
      try (ConsoleServer server = ConsoleServer.start(console, 0)) { // 0: any free port, on 127.0.0.1
        System.out.println("The console is at " + server.uri());    // http://127.0.0.1:<port>/console/
        // end
        assertThat(get(server.uri().resolve("jobs"), secret)).isEqualTo(200);
        assertThat(get(server.uri().resolve("jobs"), "not-the-token-at-all")).isEqualTo(303);
      }
    }
  }

  @Test
  void the_console_mounts_in_the_applications_server_with_its_users() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      List<AuditEntry> appAudit = new CopyOnWriteArrayList<>();
      // snippet:users
      ConsoleAuthenticator fromApp = request -> request.principal() instanceof AppUser user
          ? Optional.of(user.admin() ? ConsoleUser.operator(user.name()) : ConsoleUser.reader(user.name()))
          : Optional.empty();
      Console console = Console.builder(store)
          .authenticator(fromApp)
          .config(ConsoleConfig.DEFAULT.withBasePath("/ops/console").withTenant("acme").withReadOnly(true))
          .onAction(appAudit::add)                      // every action, also for your own audit
          .open();
      // end
      // snippet:mount
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(console.config().basePath(), ConsoleServer.httpHandler(console));
      // end
      server.start();
      try {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ops/console/events");
        assertThat(get(uri, "x")).as("the JDK server has no user: sign in first").isEqualTo(303);
      } finally {
        server.stop(0);
      }
      AppUser alice = new AppUser("alice", false);
      byte[] body = new byte[0];
      // snippet:handle
      ConsoleRequest request = ConsoleRequest.of("GET", "/ops/console/events", Map.of(), body, alice);
      ConsoleResponse response = console.handle(request);  // copy status, headers and body to your response
      // end
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).contains("alice", "tenant acme", "read-only");
      assertThat(appAudit).isEmpty();
    }
  }

  @Test
  void the_console_shows_the_migration_toolkit_and_runs_its_parity_checks() throws Exception {
    String secret = "a-long-random-token-from-your-vault";
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      store.jdbi().useHandle(h -> {
        h.execute("CREATE TABLE legacy_readings (id INTEGER PRIMARY KEY, wh INTEGER NOT NULL)");
        h.execute("CREATE TABLE reading_view (id INTEGER PRIMARY KEY, wh INTEGER NOT NULL)");
      });
      // snippet:migration
      Console console = Console.builder(store)
          .migration(Migrations.open(store))           // optional: needs fabula-migration
          .parityCheck("readings", () -> ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT.withKeyColumns("id"))
              .compare("SELECT id, wh FROM legacy_readings", "SELECT id, wh FROM reading_view"))
          .authenticator(ConsoleAuthenticator.token(secret, ConsoleUser.operator("ops")))
          .open();
      // end
      ConsoleResponse page = console.handle(ConsoleRequest.of("GET", "/console/migration",
          Map.of("Authorization", "Bearer " + secret), new byte[0], null));
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.text()).contains("Imports (0)", "Parity checks", "readings", "Run parity check readings");
    }
  }
}

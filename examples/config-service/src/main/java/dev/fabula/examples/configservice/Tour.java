package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.jdbc.JdbcEventStore;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A scripted conversation with the config service, printed as a transcript: create, update, a
 * stale write refused, reads from memory, history, time travel, delete, a refused set after the
 * delete, re-creation, the audit trail, a restart that rebuilds the read model, and latency figures.
 */
public final class Tour {

  private Tour() {}

  /**
   * Plays the tour on {@code jdbcUrl} (an empty database is best; on one with earlier runs the
   * tour uses fresh names) and prints it to {@code out}. Starts the server on a free port and
   * closes everything it opens.
   */
  public static void run(String jdbcUrl, PrintStream out) {
    Settings settings = Settings.DEFAULT.withJdbcUrl(jdbcUrl).withPort(0);
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    out.println("Config service tour on " + JdbcEventStore.maskCredentials(jdbcUrl));
    out.println("Every change is an event in the stream config-<name>; GETs read an in-memory projection.");
    ConfigService.migrate(settings);
    String db;
    String pool;
    long changes;
    try (ConfigServer server = ConfigServer.start(settings)) {
      String suffix = server.service().store().headPosition() == 0 ? "" : "-" + UUID.randomUUID().toString().substring(0, 6);
      db = "db-url" + suffix;
      pool = "pool-size" + suffix;
      out.printf("Started on %s; the read model was rebuilt from %d events.%n", server.uri(),
          server.service().readModel().rebuiltEvents());
      Transcript http = new Transcript(client, server.uri(), out);

      out.println();
      out.println("1. Create, update, and a stale update refused (optimistic concurrency with If-Match)");
      http.send("PUT", "/config/" + db, "{\"value\":\"jdbc:postgresql://db1/app\"}", "X-Actor", "alice");
      http.send("PUT", "/config/" + db, "{\"value\":\"jdbc:postgresql://db2/app\"}", "X-Actor", "bob", "If-Match", "\"1\"");
      http.send("PUT", "/config/" + db, "{\"value\":\"jdbc:postgresql://db3/app\"}", "If-Match", "\"1\"");
      http.send("PUT", "/config/" + pool, "{\"value\":20}", "X-Actor", "alice");
      http.send("GET", "/config/" + db, null);

      out.println();
      out.println("2. History (read from the event store) and time travel (?at=)");
      Transcript.Reply history = http.send("GET", "/config/" + db + "/history", null);
      String at = history.body().get(0).get("at").asText();
      http.send("GET", "/config/" + db + "?at=" + at, null);
      http.send("GET", "/config/" + db + "?at=" + Instant.parse(at).minusSeconds(60), null);
      http.send("GET", "/config/" + db + "?at=yesterday", null);

      out.println();
      out.println("3. Delete; a deleted value cannot be set until it is created again (If-None-Match: *)");
      http.send("DELETE", "/config/" + pool, null, "X-Actor", "carol");
      http.send("GET", "/config/" + pool, null);
      http.send("PUT", "/config/" + pool, "{\"value\":30}", "X-Actor", "carol");
      http.send("PUT", "/config/" + pool, "{\"value\":30}", "X-Actor", "carol", "If-None-Match", "*");

      out.println();
      AuditTrail audit = server.service().audit();
      audit.awaitPosition(server.service().store().headPosition(), Duration.ofSeconds(10));
      List<AuditTrail.Entry> entries = audit.entries().stream().filter(e -> e.name().equals(db) || e.name().equals(pool)).toList();
      changes = entries.size();
      out.println("4. The audit worker (an asynchronous projection with a checkpoint) wrote one row per change:");
      entries.forEach(e -> out.println("   #" + e.position() + " " + e.line()));
    }

    out.println();
    try (ConfigServer server = ConfigServer.start(settings)) {
      ConfigReadModel model = server.service().readModel();
      out.printf("5. Restart: the service stopped; a new one on the same database rebuilt its read model%n"
          + "   from %d events in %d ms, and serves the same state:%n", model.rebuiltEvents(), model.rebuildTime().toMillis());
      Transcript http = new Transcript(client, server.uri(), out);
      Transcript.Reply all = http.quiet("GET", "/config");
      for (JsonNode entry : all.body()) {
        if (entry.get("name").asText().equals(db) || entry.get("name").asText().equals(pool)) {
          out.printf("   %-16s = %-28s version %d, by %s%n", entry.get("name").asText(), entry.get("value"),
              entry.get("version").asLong(), entry.get("updatedBy").asText());
        }
      }
      AuditTrail audit = server.service().audit();
      audit.awaitPosition(server.service().store().headPosition(), Duration.ofSeconds(10));
      long after = audit.entries().stream().filter(e -> e.name().equals(db) || e.name().equals(pool)).count();
      out.printf("   The audit worker resumed from its checkpoint: still %d rows for %d changes, none twice.%n", after, changes);

      out.println();
      int requests = 100;
      out.printf("6. Latency, %d sequential requests each, measured by this client (names %s*):%n", requests,
          Latency.NAME_PREFIX);
      Latency.measure(client, server.uri(), requests).print(out);
    }
    out.println("Done: the tour closed the server, the projections and the store it opened.");
  }
}

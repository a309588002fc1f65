package dev.fabula.examples.configservice;

import dev.fabula.examples.admin.AdminConsole;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Main -Dconsole}: next to the running service, the admin console and the meters; after a
 * few changes over HTTP the meters show their appends and the audit worker's progress, and the
 * console answers signed in.
 */
class AdminConsoleTest {
  @RegisterExtension static PostgresExtension pg = new PostgresExtension();

  @Test
  void the_console_and_the_meters_show_the_tour_on_sqlite(@TempDir Path dir) {
    check("jdbc:sqlite:" + dir.resolve("tour.db"));
  }

  @Test
  void the_console_and_the_meters_show_the_tour_on_postgres() {
    check(pg.database().jdbcUrlWithCredentials());
  }

  private static void check(String url) {
    Settings settings = Settings.DEFAULT.withJdbcUrl(url).withPort(0);
    ConfigService.migrate(settings);
    try (ConfigServer server = ConfigServer.start(settings); AdminConsole console = Main.console(server, 0)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      console.printWhere(new PrintStream(bytes, true, StandardCharsets.UTF_8));
      assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Admin console: http://127.0.0.1:", "/console/",
          "sign in with the token", "Metrics (Prometheus text format): http://127.0.0.1:", "/metrics");
      put(server.uri().resolve("/config/db-url"), "{\"value\":\"jdbc:postgresql://db1/app\"}");
      put(server.uri().resolve("/config/db-url"), "{\"value\":\"jdbc:postgresql://db2/app\"}");
      server.service().audit().awaitPosition(server.service().store().headPosition(), Duration.ofSeconds(30));

      String metrics = scrapeUntilPositive(console.metricsUri(), "fabula_projection_checkpoint", "projection=\"config-audit\"");
      assertThat(sample(metrics, "fabula_store_append_seconds_count", "outcome=\"success\"")).isEqualTo(2);
      assertThat(sample(metrics, "fabula_projection_events_applied_events_total", "projection=\"config-audit\"")).isEqualTo(2);
      assertThat(sample(metrics, "fabula_projection_checkpoint", "projection=\"config-audit\"")).isPositive();
      assertThat(get(console.consoleUri().resolve("events?after=0"), console.token())).contains("config-db-url");
      assertThat(get(console.consoleUri().resolve("projections"), console.token())).contains("config-audit");
      assertThat(status(console.consoleUri().resolve("events?after=0"))).isNotEqualTo(200);
    }
  }

  private static void put(URI uri, String body) {
    try {
      HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
          HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(body)).header("X-Actor", "alice").build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    } catch (Exception e) {
      throw new AssertionError(uri.toString(), e);
    }
  }

  /**
   * Scrapes until the gauge {@code name} shows a value above 0 (gauges read the database at most
   * once a second, and the last read may be from before the story), for up to 10 seconds.
   */
  static String scrapeUntilPositive(URI metrics, String name, String... labels) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      String scrape = get(metrics, null);
      if (scrape.lines().anyMatch(l -> l.startsWith(name + "{") && !l.endsWith(" 0.0") && !l.endsWith(" NaN")
          && java.util.Arrays.stream(labels).allMatch(l::contains)) || System.nanoTime() > deadline) {
        return scrape;
      }
      try {
        Thread.sleep(100); // polls the condition until the deadline
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  /** The first sample of {@code name} whose labels include all of {@code labels}. */
  static double sample(String scrape, String name, String... labels) {
    return scrape.lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no sample " + name + " " + java.util.Arrays.toString(labels) + " in:\n" + scrape));
  }

  private static String get(URI uri, @Nullable String token) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri);
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
      return r.body();
    } catch (Exception e) {
      throw new AssertionError(uri.toString(), e);
    }
  }

  private static int status(URI uri) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new AssertionError(uri.toString(), e);
    }
  }
}

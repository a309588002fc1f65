package dev.fabula.examples.mealplanner;

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
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Main -Dconsole}: the admin console and the meters serve from before the story, so after it
 * the meters show the story's job runs, appends and projection, and the console answers signed in.
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
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Map<String, String> pages = new HashMap<>();
    Main.playWithConsole(url, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8), console -> {
      pages.put("metrics", scrapeUntilPositive(console.metricsUri(), "fabula_scheduler_jobs", "state=\"succeeded\""));
      pages.put("jobs", get(console.consoleUri().resolve("jobs"), console.token()));
      pages.put("schedules", get(console.consoleUri().resolve("schedules"), console.token()));
      pages.put("unsigned", String.valueOf(status(console.consoleUri().resolve("jobs"))));
    });

    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Admin console: http://127.0.0.1:", "/console/",
        "sign in with the token", "Metrics (Prometheus text format): http://127.0.0.1:", "/metrics",
        "no recipe was reused within 30 days");
    String metrics = pages.get("metrics");
    String sync = "type=\"" + PlannerJob.AUTO_SYNC.type() + "\"";
    assertThat(sample(metrics, "fabula_scheduler_job_run_seconds_count", sync, "outcome=\"succeeded\"")).isPositive();
    assertThat(sample(metrics, "fabula_scheduler_job_run_seconds_count", sync, "outcome=\"retried\"")).isPositive();
    assertThat(sample(metrics, "fabula_projection_events_applied_events_total", "projection=\"" + RecipeRotation.NAME + "\""))
        .isPositive();
    assertThat(pages.get("jobs")).contains(PlannerJob.AUTO_SYNC.type(), "SUCCEEDED");
    assertThat(pages.get("schedules")).contains(PlannerJob.WEEKLY_PLAN.scheduleName());
    assertThat(pages.get("unsigned")).isNotEqualTo("200");
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

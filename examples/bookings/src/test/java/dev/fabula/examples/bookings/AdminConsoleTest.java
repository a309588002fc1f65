package dev.fabula.examples.bookings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After the tour, the admin console shows its bookings' events and jobs. */
class AdminConsoleTest {

  @Test
  void the_console_over_the_tours_data_shows_its_events_and_jobs(@TempDir Path dir) {
    String url = "jdbc:sqlite:" + dir.resolve("tour.db");
    TourTest.run(url);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AtomicReference<String> events = new AtomicReference<>();
    AtomicReference<String> jobs = new AtomicReference<>();

    AdminConsole.serve(url, 0, new PrintStream(bytes, true, StandardCharsets.UTF_8), (uri, token) -> {
      events.set(get(uri.resolve("events?after=0"), token));
      jobs.set(get(uri.resolve("jobs"), token));
    });

    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("Admin console: http://127.0.0.1:", "/console/",
        "sign in with the token");
    assertThat(events.get()).contains("booking-requested", "acme");
    assertThat(jobs.get()).contains(BookingPlatform.CAPTURE_PAYMENT, "SUCCEEDED");
  }

  private static String get(java.net.URI uri, String token) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(uri.toString()).isEqualTo(200);
      return r.body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

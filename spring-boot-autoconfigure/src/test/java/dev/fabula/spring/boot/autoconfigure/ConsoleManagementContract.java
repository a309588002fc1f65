package dev.fabula.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.console.Console;
import dev.fabula.scheduler.JobQueue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The admin console on Actuator's management port behind Spring Security: not on the application's
 * port; refused without a signed-in user or for a user without a console authority; an operator's
 * action passes the console's own CSRF check (Spring Security's is off for the console's path) and
 * is audited under the Spring user's name.
 */
@SpringBootTest(classes = ConsoleTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "fabula.jdbc.migrate-on-open=true",
    "fabula.projections.enabled=false",
    "fabula.scheduler.enabled=false",
    "fabula.console.enabled=true",
    "management.server.port=0"})
abstract class ConsoleManagementContract {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired Console console;
  @Autowired JobQueue queue;

  @Test
  void the_console_is_on_the_management_port_and_not_on_the_applications() throws Exception {
    assertThat(managementPort).isNotEqualTo(port);
    HttpResponse<String> page = send(managementPort, "GET", "/console/", "ops:ops-secret", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("ops");

    assertThat(send(port, "GET", "/console/", "ops:ops-secret", null, null).statusCode()).isEqualTo(404);
  }

  @Test
  void the_console_refuses_anonymous_users_and_users_without_a_console_authority() throws Exception {
    assertThat(send(managementPort, "GET", "/console/", null, null, null).statusCode()).isEqualTo(401);
    HttpResponse<String> guest = send(managementPort, "GET", "/console/", "guest:guest-secret", null, null);
    assertThat(guest.statusCode()).isEqualTo(303);
    assertThat(guest.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/console/sign-in"));
  }

  @Test
  void an_operators_action_passes_the_consoles_csrf_check_and_is_audited_under_the_spring_user() throws Exception {
    HttpResponse<String> page = send(managementPort, "GET", "/console/schedules", "ops:ops-secret", null, null);
    assertThat(page.statusCode()).isEqualTo(200);
    String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    Matcher csrf = CSRF.matcher(page.body());
    assertThat(csrf.find()).isTrue();

    HttpResponse<String> forged = send(managementPort, "POST", "/console/schedules/kill-switch", "ops:ops-secret", cookie,
        "on=true&csrf=forged");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(queue.stats().killSwitchOn()).isFalse();

    HttpResponse<String> done = send(managementPort, "POST", "/console/schedules/kill-switch", "ops:ops-secret", cookie,
        "on=true&csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8));
    try {
      assertThat(done.statusCode()).isEqualTo(303);
      assertThat(queue.stats().killSwitchOn()).isTrue();
      assertThat(console.audit(0, 1).get(0).user()).isEqualTo("ops");
    } finally {
      queue.resumeAll();
    }
  }

  private static HttpResponse<String> send(int port, String method, String path, @Nullable String user,
      @Nullable String cookie, @Nullable String form) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    if (form != null) {
      request.header("Content-Type", "application/x-www-form-urlencoded");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

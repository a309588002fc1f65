package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Actuator and console snippets of docs/spring-boot.md, run as a web application on SQLite. */
@SpringBootTest(classes = SpringBootActuatorGuideTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "fabula.jdbc.migrate-on-open=true",
        "fabula.scheduler.enabled=false",
        "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.show-details=always",
        "management.server.port=0",
        "fabula.console.enabled=true"})
class SpringBootActuatorGuideTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void sqlite(DynamicPropertyRegistry registry) throws java.io.IOException {
    Path dir = Files.createTempDirectory("fabula-actuator-guide-");
    registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + dir.resolve("app.db"));
    registry.add("spring.datasource.hikari.data-source-properties.journal_mode", () -> "WAL");
    registry.add("spring.datasource.hikari.data-source-properties.busy_timeout", () -> "10000");
    registry.add("spring.datasource.hikari.data-source-properties.transaction_mode", () -> "IMMEDIATE");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    // snippet:security
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
          .httpBasic(Customizer.withDefaults())
          .build();   // no CSRF setting for the console: the starter leaves its path to the console's own check
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("ops").password("{noop}change-me").roles("FABULA_OPERATOR").build(),  // every action
          User.withUsername("support").password("{noop}change-me").roles("FABULA_READER").build()); // reads only
    }
    // end
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void the_console_answers_on_the_management_port_only() throws Exception {
    assertThat(get(managementPort, "/console/", "support").statusCode()).isEqualTo(200);
    assertThat(get(port, "/console/", "support").statusCode()).isEqualTo(404);
  }

  @Test
  void the_probes_answer_and_the_disabled_pool_is_disabled() throws Exception {
    assertThat(get(managementPort, "/actuator/health/liveness", "support").statusCode()).isEqualTo(200);
    assertThat(get(managementPort, "/actuator/health/readiness", "support").statusCode()).isEqualTo(200);
    HttpResponse<String> health = get(managementPort, "/actuator/health", "support");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"pool:main\"", "this process runs no workers");
    assertThat(health.body()).contains("\"status\":\"DISABLED\"");
  }

  private static HttpResponse<String> get(int port, String path, String user) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (user != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":change-me").getBytes()));
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

package dev.fabula.spring.boot.autoconfigure;

import static dev.fabula.spring.boot.autoconfigure.SpringStarterContract.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Fabula's checks in {@code /actuator/health} of a running server: liveness and readiness apart (a
 * stuck projection takes the instance out of readiness, never makes liveness fail), and the worker
 * pool switched off on purpose reported {@code DISABLED} with HTTP 200, not {@code DOWN}.
 */
@SpringBootTest(classes = HealthTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "fabula.jdbc.migrate-on-open=true",
    "fabula.projections.poll-interval=100ms",
    "fabula.scheduler.enabled=false",
    "fabula.health.max-projection-lag=200ms",
    "management.endpoint.health.probes.enabled=true",
    "management.endpoint.health.show-details=always",
    "management.endpoints.web.exposure.include=health"})
abstract class ActuatorHealthContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired JdbcEventStore store;

  @AfterAll
  static void releaseTheProjection() {
    HealthTestApp.release.countDown();
  }

  @Test
  void the_worker_pool_switched_off_on_purpose_is_disabled_not_down() {
    eventually("the instance is ready", () -> get("/actuator/health/readiness").statusCode() == 200);
    HttpResponse<String> health = get("/actuator/health");

    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode components = json(health).get("components");
    JsonNode pool = components.get("fabulaLiveness").get("components").get("pool:main");
    assertThat(pool.get("status").asText()).isEqualTo("DISABLED");
    assertThat(pool.get("details").get("message").asText()).contains("fabula.scheduler.enabled=false");
    assertThat(components.get("fabulaLiveness").get("status").asText()).isEqualTo("UP");
    assertThat(components.get("fabulaReadiness").get("components").get("store").get("status").asText()).isEqualTo("UP");
    assertThat(components.get("fabulaReadiness").get("components").get("schema").get("status").asText()).isEqualTo("UP");
    assertThat(components.get("fabulaAttention").get("components").get("jobs.failed").get("status").asText()).isEqualTo("UP");
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
  }

  @Test
  void a_stuck_projection_fails_readiness_but_never_liveness() throws InterruptedException {
    HealthTestApp.stuck = new CountDownLatch(1);
    HealthTestApp.release = new CountDownLatch(1);
    store.append("stuck-" + System.nanoTime(), ExpectedVersion.noStream(), List.of(EventData.json("held", 1, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode())));
    assertThat(HealthTestApp.stuck.await(20, TimeUnit.SECONDS)).as("the projection met the event").isTrue();

    eventually("readiness answers 503", () -> get("/actuator/health/readiness").statusCode() == 503);
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    JsonNode gate = json(get("/actuator/health")).get("components").get("fabulaReadiness").get("components")
        .get("projection:gate v1");
    assertThat(gate.get("status").asText()).isEqualTo("DOWN");
    assertThat(gate.get("details").get("message").asText()).contains("maxProjectionLag");

    HealthTestApp.release.countDown();
    eventually("readiness answers 200 again", () -> get("/actuator/health/readiness").statusCode() == 200);
  }

  private HttpResponse<String> get(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

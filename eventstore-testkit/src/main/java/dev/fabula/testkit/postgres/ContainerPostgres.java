package dev.fabula.testkit.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL server in a Testcontainers {@link PostgreSQLContainer}.
 *
 * <p>Immutable after {@link #start}; thread-safe.
 */
final class ContainerPostgres implements PostgresBackend {

  private static final Logger LOG = LoggerFactory.getLogger(ContainerPostgres.class);

  /** Longest time to wait for Testcontainers to decide whether Docker is usable. */
  private static final Duration DOCKER_PROBE_TIMEOUT = Duration.ofSeconds(20);

  private final PostgreSQLContainer<?> container;

  private ContainerPostgres(PostgreSQLContainer<?> container) {
    this.container = container;
  }

  /**
   * Tells whether Testcontainers can reach a Docker engine. Never throws; gives up (answering
   * false) after {@link #DOCKER_PROBE_TIMEOUT}.
   */
  static boolean isDockerAvailable() {
    CompletableFuture<Boolean> probe = new CompletableFuture<>();
    Thread thread = new Thread(() -> {
      try {
        probe.complete(DockerClientFactory.instance().isDockerAvailable());
      } catch (Throwable t) {
        probe.completeExceptionally(t);
      }
    }, "fabula-docker-probe");
    thread.setDaemon(true);
    thread.start();
    try {
      return probe.get(DOCKER_PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("Docker probe did not answer within {}; assuming Docker is unavailable",
          DOCKER_PROBE_TIMEOUT);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      LOG.debug("Docker probe failed; assuming Docker is unavailable", e);
      return false;
    }
  }

  /**
   * Starts a container from {@code image} with the given server settings ({@code -c key=value}).
   *
   * @throws RuntimeException if the container cannot be started
   */
  static ContainerPostgres start(String image, Map<String, String> settings) {
    List<String> command = new ArrayList<>();
    command.add("postgres");
    settings.forEach((key, value) -> {
      command.add("-c");
      command.add(key + "=" + value);
    });
    PostgreSQLContainer<?> container =
        new PostgreSQLContainer<>(DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"));
    container.setCommand(command.toArray(String[]::new));
    container.start();
    return new ContainerPostgres(container);
  }

  @Override
  public String jdbcUrl(String databaseName) {
    return "jdbc:postgresql://" + container.getHost() + ":"
        + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/" + databaseName;
  }

  @Override
  public String username() {
    return container.getUsername();
  }

  @Override
  public String password() {
    return container.getPassword();
  }

  @Override
  public String maintenanceDatabase() {
    return container.getDatabaseName();
  }

  @Override
  public String description() {
    return "Testcontainers " + container.getDockerImageName() + " at " + jdbcUrl(maintenanceDatabase());
  }

  @Override
  public void close() {
    try {
      container.stop();
    } catch (RuntimeException e) {
      LOG.warn("Could not stop PostgreSQL container", e);
    }
  }
}

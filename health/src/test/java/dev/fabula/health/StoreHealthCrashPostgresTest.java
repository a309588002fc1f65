package dev.fabula.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.postgres.OwnedPostgres;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** A crashed server makes the store unready within the time limit, and ready again once it is back. */
@EnabledIf("dev.fabula.testkit.postgres.OwnedPostgres#canRunHere")
class StoreHealthCrashPostgresTest {
  private static OwnedPostgres pg;

  @BeforeAll
  static void start() {
    pg = OwnedPostgres.start();
  }

  @AfterAll
  static void stop() {
    pg.close();
  }

  @Test
  void a_crashed_server_is_reported_down_within_the_time_limit_and_up_once_restarted() throws Exception {
    HealthConfig config = HealthConfig.DEFAULT.withTimeout(Duration.ofSeconds(2));
    try (JdbcEventStore store = JdbcEventStore.open(pg.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
            JdbcConfig.DEFAULT.withMigrateOnOpen(true));
        Health health = Health.of(config, List.of(StoreHealth.of(store)))) {
      assertThat(health.readiness().status()).isEqualTo(Status.UP);

      pg.crash();
      long start = System.nanoTime();
      HealthReport down = health.readiness();
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(down.status()).isEqualTo(Status.DOWN);
      assertThat(down.healthy()).isFalse();
      HealthCheck reachable = HealthContract.check(down, "store");
      assertThat(reachable.status()).isEqualTo(Status.DOWN);
      assertThat(reachable.message()).containsAnyOf("did not answer", "no answer within");
      String password = pg.database().password();
      if (password != null) {
        assertThat(reachable.message()).as("no credentials in the message").doesNotContain(password);
      }
      assertThat(took).as("bounded by the time limit, not by the pool's").isLessThan(Duration.ofSeconds(15));

      pg.restart();
      Await.until("the store to be ready again", HealthContract.WAIT, () -> health.readiness().status() == Status.UP);
    }
  }
}

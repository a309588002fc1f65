package dev.fabula.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.jdbc.JdbcEventStore;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The starter in a Spring Boot application: an {@code @Transactional} service's events, its own
 * rows and its enqueued job commit or roll back together; projection and job handler beans are
 * discovered and run; the store's meters reach the application's registry. A database supplies the
 * data source properties.
 */
@SpringBootTest(classes = FabulaTestApp.class, properties = {
    "fabula.jdbc.migrate-on-open=true",
    "fabula.projections.poll-interval=100ms",
    "fabula.scheduler.poll-interval=100ms",
    "spring.sql.init.mode=always",
    "spring.sql.init.schema-locations=classpath:fabula-test-schema.sql"})
abstract class SpringStarterContract {
  private static final AtomicInteger ORDERS = new AtomicInteger(100);

  @Autowired FabulaTestApp.Orders orders;
  @Autowired JdbcEventStore store;
  @Autowired JdbcTemplate jdbc;
  @Autowired MeterRegistry registry;

  @Test
  void a_transactional_service_commits_its_events_its_rows_and_its_job_together() {
    int id = ORDERS.incrementAndGet();
    orders.place(id, false);

    assertThat(store.streamInfo("order-" + id)).isPresent();
    assertThat(count("SELECT COUNT(*) FROM orders WHERE id = ?", id)).isEqualTo(1);
    eventually("the job handler bean wrote the receipt", () -> count("SELECT COUNT(*) FROM receipts WHERE order_id = ?", id) == 1);
  }

  @Test
  void a_rollback_removes_the_services_events_its_rows_and_its_job_together() {
    int id = ORDERS.incrementAndGet();
    assertThatThrownBy(() -> orders.place(id, true)).hasMessageContaining("payment failed");

    assertThat(store.streamInfo("order-" + id)).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM orders WHERE id = ?", id)).isZero();
    assertThat(count("SELECT COUNT(*) FROM fabula_jobs WHERE CAST(payload AS TEXT) LIKE ?", "%\"order\":" + id + "}%")).isZero();
  }

  @Test
  void the_projection_bean_sees_committed_events() {
    int id = ORDERS.incrementAndGet();
    orders.place(id, false);
    long position = store.readStream("order-" + id).get(0).position();

    eventually("the projection bean saw the event", () -> count("SELECT COUNT(*) FROM seen_events WHERE position = ?", position) == 1);
  }

  @Test
  void the_store_projection_and_scheduler_meters_are_in_the_applications_registry() {
    orders.place(ORDERS.incrementAndGet(), false);

    assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
        .anyMatch(n -> n.startsWith("fabula.store."))
        .anyMatch(n -> n.startsWith("fabula.projection"))
        .anyMatch(n -> n.startsWith("fabula.job") || n.startsWith("fabula.scheduler"));
  }

  private int count(String sql, Object arg) {
    Integer n = jdbc.queryForObject(sql, Integer.class, arg);
    return n == null ? 0 : n;
  }

  /** Polls {@code condition} until it holds, for up to 20 seconds. */
  static void eventually(String what, BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}

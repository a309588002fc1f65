package dev.fabula.spring.boot.test.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What {@link FabulaTest} starts: the store on a fresh database with its tables, the application's
 * projection and job handler (run), nothing of its other components.
 */
abstract class FabulaTestContract {
  @Autowired JdbcEventStore store;
  @Autowired JobQueue jobs;
  @Autowired JdbcTemplate jdbc;
  @Autowired ApplicationContext context;

  abstract String expectedUrlPrefix();

  @Test
  void the_store_runs_on_a_fresh_test_database() throws Exception {
    try (var connection = context.getBean(javax.sql.DataSource.class).getConnection()) {
      assertThat(connection.getMetaData().getURL()).startsWith(expectedUrlPrefix());
    }
    assertThat(store.schemaVersions()).anyMatch(v -> v.component().equals("eventstore") && v.current());
  }

  @Test
  void the_applications_projection_and_job_handler_run() {
    store.append("order-1", ExpectedVersion.noStream(),
        List.of(EventData.json("placed", 1, JsonNodeFactory.instance.objectNode())));
    jobs.enqueue(JobRequest.of("note").withPayload("\"hello\""));

    eventually(() -> count("SELECT COUNT(*) FROM event_counts WHERE type = 'placed'") == 1);
    eventually(() -> count("SELECT COUNT(*) FROM notes WHERE text = 'hello'") == 1);
  }

  @Test
  void other_components_are_left_out() {
    assertThat(context.getBeanNamesForType(WebThing.class)).isEmpty();
    assertThat(context.getBeanNamesForType(NoteHandler.class)).hasSize(1);
  }

  private int count(String sql) {
    Integer n = jdbc.queryForObject(sql, Integer.class);
    return n == null ? 0 : n;
  }

  private static void eventually(BooleanSupplier condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!condition.getAsBoolean()) {
      assertThat(Instant.now()).as("the condition held within 20 s").isBefore(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.ExpectedVersion;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.scheduler.JobContext;
import dev.fabula.scheduler.JobHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.spring.boot.autoconfigure.JobType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The snippets of docs/spring-boot.md, run as a Spring Boot application on SQLite. */
@SpringBootTest(classes = SpringBootGuideTest.App.class)
@org.springframework.test.context.TestPropertySource("classpath:spring-boot-guide.properties")
class SpringBootGuideTest {

  @BeforeAll
  static void freshDatabase() throws IOException {
    Path dir = Path.of("target", "spring-guide");
    Files.createDirectories(dir);
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(dir.resolve("app.db" + suffix));
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({Bookings.class, SendConfirmation.class})
  static class App {
    // snippet:projection
    @Bean
    Projection bookingsPerGuest() {
      return Projection.transactional("bookings-per-guest", (handle, events) -> {
        for (RecordedEvent e : events) {
          String guest = e.payload().get("guest").asText();
          handle.execute("INSERT INTO bookings_per_guest (guest, bookings) VALUES (?, 1) "
              + "ON CONFLICT (guest) DO UPDATE SET bookings = bookings_per_guest.bookings + 1", guest);
        }
      }).withReset(handle -> handle.execute("DELETE FROM bookings_per_guest"));
    }
    // end
  }

  // snippet:service
  @Service
  public static class Bookings {
    private final JdbcEventStore store;
    private final JdbcTemplate jdbc;
    private final JobQueue jobs;

    public Bookings(JdbcEventStore store, JdbcTemplate jdbc, JobQueue jobs) {
      this.store = store;
      this.jdbc = jdbc;
      this.jobs = jobs;
    }

    /** The event, the guest list row and the confirmation job commit together, or not at all. */
    @Transactional
    public void book(String bookingId, String guest) {
      store.append("booking-" + bookingId, ExpectedVersion.noStream(), List.of(EventData.json("booked", 1,
          JsonNodeFactory.instance.objectNode().put("guest", guest))));
      jdbc.update("INSERT INTO guest_list (booking_id, guest) VALUES (?, ?)", bookingId, guest);
      jobs.enqueue(JobRequest.of("send-confirmation").withPayload("{\"booking\":\"" + bookingId + "\"}"));
    }
  }
  // end

  // snippet:job
  @Component
  @JobType("send-confirmation")
  static class SendConfirmation implements JobHandler {
    private final JdbcTemplate jdbc;

    SendConfirmation(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Override
    public JobResult handle(JobContext job) {
      String bookingId = job.payload(JsonNode.class).get("booking").asText();
      jdbc.update("INSERT INTO confirmations (booking_id) VALUES (?) ON CONFLICT DO NOTHING", bookingId);
      return JobResult.success();
    }
  }
  // end

  @Autowired Bookings bookings;
  @Autowired JdbcEventStore store;
  @Autowired JdbcTemplate jdbc;

  @Test
  void a_booking_commits_its_event_its_row_and_its_job_and_the_handlers_run() {
    bookings.book("b-1", "ada");

    assertThat(store.streamInfo("booking-b-1")).isPresent();
    awaitCount("SELECT COUNT(*) FROM confirmations WHERE booking_id = 'b-1'", 1);
    awaitCount("SELECT COUNT(*) FROM bookings_per_guest WHERE guest = 'ada'", 1);
  }

  @Test
  void a_failed_booking_leaves_nothing_behind() {
    bookings.book("b-2", "grace");
    // snippet:rollback
    assertThatThrownBy(() -> bookings.book("b-2", "grace"))   // the stream exists: a conflict
        .isInstanceOf(dev.fabula.ConcurrencyException.class);
    // end
    assertThat(store.readStream("booking-b-2")).hasSize(1);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM guest_list WHERE booking_id = 'b-2'", Integer.class)).isEqualTo(1);
  }

  private void awaitCount(String sql, int expected) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (jdbc.queryForObject(sql, Integer.class) != expected) {
      assertThat(Instant.now()).as("waiting for %s", sql).isBefore(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

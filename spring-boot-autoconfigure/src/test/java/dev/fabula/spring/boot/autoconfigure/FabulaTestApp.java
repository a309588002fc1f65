package dev.fabula.spring.boot.autoconfigure;

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
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The application of the Spring tests: a service, a projection and two job handlers. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({FabulaTestApp.Orders.class, FabulaTestApp.SendReceipt.class, FabulaTestApp.Slow.class})
class FabulaTestApp {

  /** Records the position of every event it sees. */
  @Bean
  Projection seenEvents() {
    return Projection.transactional("seen-events", (handle, events) -> {
      for (RecordedEvent e : events) {
        handle.execute("INSERT INTO seen_events (position) VALUES (?)", e.position());
      }
    }).withReset(handle -> handle.execute("DELETE FROM seen_events"));
  }

  /** A service that appends events, writes its own table and enqueues a job in one transaction. */
  @Component
  static class Orders {
    private final JdbcEventStore store;
    private final JdbcTemplate jdbc;
    private final JobQueue queue;

    Orders(JdbcEventStore store, JdbcTemplate jdbc, JobQueue queue) {
      this.store = store;
      this.jdbc = jdbc;
      this.queue = queue;
    }

    @Transactional
    public void place(int id, boolean failAfterwards) {
      store.append("order-" + id, ExpectedVersion.noStream(),
          List.of(EventData.json("order-placed", 1, JsonNodeFactory.instance.objectNode().put("id", id))));
      jdbc.update("INSERT INTO orders (id, note) VALUES (?, ?)", id, "placed");
      queue.enqueue(JobRequest.of("send-receipt").withPayload("{\"order\":" + id + "}"));
      if (failAfterwards) {
        throw new IllegalStateException("the payment failed");
      }
    }
  }

  /** Writes a receipt row per order. */
  @Component
  @JobType("send-receipt")
  static class SendReceipt implements JobHandler {
    private final JdbcTemplate jdbc;

    SendReceipt(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @Override
    public JobResult handle(JobContext context) {
      int order = context.payload(com.fasterxml.jackson.databind.JsonNode.class).get("order").asInt();
      jdbc.update("INSERT INTO receipts (order_id) VALUES (?)", order);
      return JobResult.success();
    }
  }

  /** A job that runs until the test lets it finish, for the shutdown test. */
  @Component
  @JobType("slow")
  static class Slow implements JobHandler {
    static volatile CountDownLatch started = new CountDownLatch(1);
    static volatile CountDownLatch release = new CountDownLatch(1);
    static volatile boolean finished;

    @Override
    public JobResult handle(JobContext context) throws InterruptedException {
      started.countDown();
      if (!release.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the slow job");
      }
      finished = true;
      return JobResult.success();
    }
  }
}

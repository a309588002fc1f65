package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/scheduler.md, compiled and run, so the guide cannot rot. */
class GuideExamplesTest {

  @EventType("OrderPlaced")
  record OrderPlaced(int order) {}

  record Receipt(int order) {}

  /** Stands in for a mail client. */
  static final class Mailer {
    final List<Receipt> sent = new CopyOnWriteArrayList<>();

    void send(Receipt r) {
      sent.add(r);
    }
  }

  @Test
  void quick_start(@TempDir Path dir) throws Exception {
    Mailer mailer = new Mailer();
    String url = "jdbc:sqlite:" + dir.resolve("app.db");
    EventStoreConfig storeConfig = EventStoreConfig.DEFAULT.withEventTypes(EventTypes.builder().register(OrderPlaced.class).build());
    Job job;
    try (JdbcEventStore store = JdbcEventStore.open(url, storeConfig)) {
      JobQueue queue = JobQueue.create(store, SchedulerConfig.DEFAULT);      // 1. create (migrates its tables)

      queue.register("send-receipt", ctx -> {                                // 2. register handlers
        Receipt r = ctx.payload(Receipt.class);
        mailer.send(r);
        return JobResult.success();
      });

      try (WorkerPool pool = queue.newWorkerPool(8).start()) {               // 3. start workers
        job = store.inTransaction(tx -> {
          tx.append("order-7", ExpectedVersion.noStream(), List.of(EventData.of(new OrderPlaced(7))));
          return queue.enqueue(tx, JobRequest.of("send-receipt").withPayloadOf(new Receipt(7)));
        });                                                                  // the event and the job commit together
        long id = job.id();
        Await.until("the receipt is sent", Duration.ofSeconds(20),
            () -> queue.job(id).orElseThrow().state() == JobState.SUCCEEDED);
      }                                                                      // close(): running jobs finish first
    }
    assertThat(mailer.sent).containsExactly(new Receipt(7));
  }

  @Test
  void requests_schedules_and_controls(@TempDir Path dir) {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT)) {
      SchedulerConfig config = SchedulerConfig.DEFAULT
          .withRetryPolicy("call-partner-api", RetryPolicy.DEFAULT
              .withMaxAttempts(8)
              .withMaxDelay(Duration.ofMinutes(30))    // cap
              .withJitter(0.2));                       // the delay is drawn from [0.8 d, d]
      JobQueue queue = JobQueue.create(store, config);
      Job pack = queue.enqueue(JobRequest.of("pack"));
      Job ship = queue.enqueue(JobRequest.of("send-receipt")
          .withPayload("{\"order\": 7}")
          .withPriority(Priority.HIGH)
          .withDelay(Duration.ofMinutes(5))
          .withQueue("emails")
          .withMaxAttempts(6)
          .withUniqueKey("receipt-7")
          .withParent(pack.id()));
      assertThat(ship.state()).isEqualTo(JobState.WAITING);

      queue.schedule("nightly-report", Schedule.dailyAt(LocalTime.of(2, 30)).inZone("Europe/Berlin"),
          JobRequest.of("report").withPayload("{\"kind\":\"nightly\"}"));
      queue.schedule("poll-partner", Schedule.every(Duration.ofMinutes(15)), JobRequest.of("poll"));
      queue.schedule("weekly-digest", Schedule.weeklyAt(DayOfWeek.MONDAY, LocalTime.of(9, 0)).inZone("Europe/Berlin"),
          JobRequest.of("digest"));
      queue.schedule("workdays", Schedule.cron("0 6 * * 1-5").inZone("America/New_York"), JobRequest.of("warm-up"));
      queue.schedule("launch", Schedule.once(Instant.parse("2026-01-01T00:00:00Z")), JobRequest.of("launch"));
      assertThat(queue.schedules()).hasSize(5);

      queue.pauseQueue("emails");
      queue.setConcurrencyLimit(ConcurrencyLimit.overall(5));
      queue.setConcurrencyLimit(ConcurrencyLimit.ofJobType("render-pdf", 2));
      assertThat(queue.stats().limits()).hasSize(2);
      assertThat(queue.explain(ship.id()).reasons().get(0)).contains("waiting for its parent job " + pack.id());
    }
  }
}

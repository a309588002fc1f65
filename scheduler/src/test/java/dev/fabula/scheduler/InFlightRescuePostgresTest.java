package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.ControllableClock;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool never rescues a job it still holds. After an outage longer than the lease (here: the
 * scheduler's clock jumps past the lease while the handler runs and before the keeper renews), the
 * job's lease looks expired to the pool's own maintenance; rescued, it would run again on another
 * thread while its first run is still going. The pool's maintenance does rescue a job of a worker
 * that is gone (which shows it ran after the jump), and leaves its own.
 */
class InFlightRescuePostgresTest {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();

  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(1);

  @Test
  void a_pool_does_not_rescue_a_job_it_still_holds_after_its_lease_looks_expired() throws Exception {
    ControllableClock clock = ControllableClock.at(T0);
    String prefix = "inflight_";
    try (JdbcEventStore store = JdbcEventStore.open(PostgresUrls.url(postgres.database()), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(prefix))) {
      // The keeper renews every 50 s of real time: never within this test, as in an outage.
      JobQueue queue = JobQueue.open(store, JobQueueContract.config(clock).withLease(LEASE, Duration.ofSeconds(50)));
      AtomicInteger runs = new AtomicInteger();
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      queue.register("hold", ctx -> {
        runs.incrementAndGet();
        started.countDown();
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("not released");
        }
        return JobResult.success();
      });
      Job held = queue.enqueue(JobRequest.of("hold"));
      // A job of a worker that crashed: no pool here takes its type, so rescued it stays pending.
      Job orphan = queue.enqueue(JobRequest.of("orphan"));
      store.jdbi().useHandle(h -> h.createUpdate("UPDATE " + prefix + "jobs SET state = 'running', attempt = 1, "
              + "lease_token = lease_token + 1, lease_owner = 'gone', lease_until = :until, claimed_at = :at WHERE id = :id")
          .bind("until", OffsetDateTime.ofInstant(T0.plusSeconds(10), ZoneOffset.UTC))
          .bind("at", OffsetDateTime.ofInstant(T0, ZoneOffset.UTC))
          .bind("id", orphan.id())
          .execute());
      try (WorkerPool pool = queue.newWorkerPool(2).start()) {
        assertThat(started.await(10, TimeUnit.SECONDS)).as("the held job started").isTrue();

        clock.advance(LEASE.multipliedBy(2)); // both leases look expired now
        Await.until("maintenance rescued the gone worker's job", Duration.ofSeconds(15),
            () -> queue.job(orphan.id()).orElseThrow().state() == JobState.PENDING);

        assertThat(queue.job(held.id()).orElseThrow().state()).as("the job this pool still runs").isEqualTo(JobState.RUNNING);
        release.countDown();
        Await.until("the held job succeeded", Duration.ofSeconds(15),
            () -> queue.job(held.id()).orElseThrow().state() == JobState.SUCCEEDED);
      } finally {
        release.countDown();
      }
      assertThat(runs).as("runs of the held job").hasValue(1);
      assertThat(queue.history(held.id())).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.SUCCEEDED);
      assertThat(queue.history(orphan.id())).extracting(JobRun::outcome).containsExactly(JobRun.Outcome.LEASE_EXPIRED);
    }
  }
}

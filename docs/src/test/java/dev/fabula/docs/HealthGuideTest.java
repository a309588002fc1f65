package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.health.Health;
import dev.fabula.health.HealthCheck;
import dev.fabula.health.HealthConfig;
import dev.fabula.health.HealthIndicator;
import dev.fabula.health.HealthReport;
import dev.fabula.health.JvmHealth;
import dev.fabula.health.ProjectionHealth;
import dev.fabula.health.SchedulerHealth;
import dev.fabula.health.Status;
import dev.fabula.health.StoreHealth;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.WorkerPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code of docs/health.md, run on a SQLite file. */
class HealthGuideTest {
  @TempDir Path dir;

  @Test
  void a_running_application_is_live_and_ready_and_a_disabled_pool_does_not_count() throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      Projections projections = Projections.open(store);
      JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
      queue.register("send-receipt", ctx -> JobResult.success());
      Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) -> {}));
      try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList)).start();
          WorkerPool pool = queue.newWorkerPool(2).start()) {
        projections.awaitPosition(orderList.id(), store.headPosition(), Duration.ofSeconds(20));
        // snippet:health
        HealthConfig config = HealthConfig.DEFAULT
            .withMaxProjectionLag(Duration.ofSeconds(30))   // a read model may trail the log by 30 s
            .withMaxFailedJobs(10);                          // more failed jobs than that: degraded
        Health health = Health.of(config, List.of(
            StoreHealth.of(store),                           // readiness: reachable, schema current
            ProjectionHealth.of(projections, config),        // readiness: each projection running, within the lag
            ProjectionHealth.parked(projections, config),    // attention: parked events
            SchedulerHealth.pool("main", pool),              // liveness: the pool's threads alive
            HealthIndicator.disabled("pool:reports", HealthCheck.Kind.LIVENESS, "reports run in the batch service"),
            SchedulerHealth.of(queue, config),               // attention: failed jobs, the kill switch
            JvmHealth.deadlocks()));                         // liveness: no deadlocked threads

        HealthReport live = health.liveness();    // restart the process when !live.healthy()
        HealthReport ready = health.readiness();  // send it no traffic when !ready.healthy()
        HealthReport all = health.report();      // everything, for a status page
        // end
        // snippet:probe
        int httpStatus = ready.healthy() ? 200 : 503;
        for (HealthCheck check : ready.checks()) {
          System.out.printf("%-28s %-9s %s%n", check.name(), check.status(), check.message());
        }
        // end
        assertThat(httpStatus).isEqualTo(200);
        assertThat(live.status()).isEqualTo(Status.UP);
        assertThat(live.check("pool:reports").orElseThrow().status()).isEqualTo(Status.DISABLED);
        assertThat(ready.status()).isEqualTo(Status.UP);
        assertThat(all.checks()).extracting(HealthCheck::name)
            .contains("store", "schema", "projection:order-list v1", "projection:order-list v1.parked", "pool:main",
                "jobs.failed", "jobs.processing", "deadlocks");
        health.close();
      }
    }
  }
}

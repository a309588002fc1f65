package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TenantJobs.move between the queues of two SQLite databases. */
class TenantJobsSqliteTest {
  @TempDir Path dir;

  private JdbcEventStore open(String file) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve(file), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true));
  }

  private static Job enqueue(JdbcEventStore store, JobQueue queue, String tenant, JobRequest request) {
    return store.forTenant(tenant).inTransaction(tx -> queue.enqueue(tx, request));
  }

  @Test
  void moves_the_tenants_pending_jobs_and_leaves_families_other_tenants_and_finished_jobs() {
    try (JdbcEventStore one = open("one.db"); JdbcEventStore two = open("two.db")) {
      JobQueue from = JobQueue.open(one, JobQueueConfig.DEFAULT);
      JobQueue to = JobQueue.open(two, JobQueueConfig.DEFAULT);
      JobRequest later = JobRequest.of("send-invoice").withDelay(Duration.ofHours(1));
      Job invoice = enqueue(one, from, "acme", later.withPayload("{\"n\":1}").withUniqueKey("invoice-1").withQueue("billing"));
      enqueue(one, from, "acme", later.withPayload("{\"n\":2}"));
      Job parent = enqueue(one, from, "acme", later.withPayload("{\"n\":3}"));
      enqueue(one, from, "acme", JobRequest.of("send-receipt").withParent(parent.id()));
      Job cancelled = enqueue(one, from, "acme", later.withPayload("{\"n\":4}"));
      from.cancel(cancelled.id());
      enqueue(one, from, "globex", later);

      assertThat(TenantJobs.move("acme", from, to)).isEqualTo(2);
      assertThat(TenantJobs.move("acme", from, to)).as("idempotent").isZero();

      List<Job> moved = to.list(JobQuery.ALL);
      assertThat(moved).extracting(Job::tenantId).containsOnly("acme");
      assertThat(moved).extracting(Job::payload).containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}");
      Job copy = moved.stream().filter(j -> "invoice-1".equals(j.uniqueKey())).findFirst().orElseThrow();
      assertThat(copy.queue()).isEqualTo("billing");
      assertThat(copy.runAt()).isEqualTo(invoice.runAt());
      assertThat(copy.state()).isEqualTo(JobState.PENDING);
      assertThat(from.job(invoice.id())).get().satisfies(j -> {
        assertThat(j.state()).isEqualTo(JobState.CANCELLED);
        assertThat(j.lastError()).isEqualTo("moved to another database as job " + copy.id());
      });
      assertThat(from.job(parent.id())).get().extracting(Job::state).as("a family stays").isEqualTo(JobState.PENDING);
      assertThat(from.list(JobQuery.ALL.withState(JobState.PENDING))).extracting(Job::tenantId).containsExactlyInAnyOrder("acme", "globex");
    }
  }
}

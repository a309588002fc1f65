package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventStoreConfig;
import dev.fabula.InvalidInputException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.Component;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.scheduler.internal.SchedulerTables;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs and tenants, written as an attacker with a tenant account would try it: a job enqueued in a
 * tenant's unit of work ({@code queue.enqueue(tx.forTenant(t), …)}) belongs to that tenant, its
 * handler is told the tenant, and unique keys and parent ids are the tenant's own, so the victim
 * {@code acme}'s jobs never come back to the attacker {@code globex}, and a probe of acme's job id
 * reads as a probe of an id that exists nowhere. A subclass supplies the database.
 */
abstract class JobTenancyContract {
  private static final String SECRET = "{\"card\":\"alice-secret\"}";

  /** The JDBC URL of this test's database, with credentials. */
  protected abstract String url();

  /** The table prefix of this test. */
  protected abstract String tablePrefix();

  private JdbcEventStore store;
  private JobQueue queue;

  @BeforeEach
  void open() {
    store = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix()));
    queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Job enqueue(@org.jspecify.annotations.Nullable String tenant, JobRequest request) {
    return store.inTransaction(tx -> queue.enqueue(tenant == null ? tx : tx.forTenant(tenant), request));
  }

  @Test
  void two_tenants_unique_keys_do_not_collide_and_an_enqueue_never_returns_another_tenants_job() {
    Job victim = enqueue("acme", JobRequest.of("invoice").withUniqueKey("invoice-1").withPayload(SECRET));

    Job attacker = enqueue("globex", JobRequest.of("invoice").withUniqueKey("invoice-1").withPayload("{}"));
    Job unconfined = enqueue(null, JobRequest.of("invoice").withUniqueKey("invoice-1").withPayload("{}"));

    assertThat(attacker.id()).isNotEqualTo(victim.id());
    assertThat(attacker.payload()).doesNotContain("alice-secret");
    assertThat(attacker.tenantId()).isEqualTo("globex");
    assertThat(unconfined.id()).isNotIn(victim.id(), attacker.id());
    assertThat(unconfined.tenantId()).isNull();
    assertThat(enqueue("acme", JobRequest.of("invoice").withUniqueKey("invoice-1")).id())
        .as("still idempotent within a tenant").isEqualTo(victim.id());
    assertThat(queue.job(victim.id()).orElseThrow().tenantId()).as("the operator sees whose it is").isEqualTo("acme");
  }

  @Test
  void a_handler_is_told_the_tenant_of_its_job() throws Exception {
    Map<Long, String> seen = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(2);
    queue.register("mail", ctx -> {
      seen.put(ctx.jobId(), String.valueOf(ctx.tenantId()));
      done.countDown();
      return JobResult.success();
    });
    long acme = enqueue("acme", JobRequest.of("mail")).id();
    long none = enqueue(null, JobRequest.of("mail")).id();
    try (WorkerPool pool = queue.newWorkerPool(1).start()) {
      assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(seen).containsEntry(acme, "acme").containsEntry(none, "null");
  }

  @Test
  void a_tenant_cannot_make_its_job_wait_for_another_tenants_job_nor_learn_that_it_exists() {
    long victim = enqueue("acme", JobRequest.of("invoice").withPayload(SECRET)).id();
    long nowhere = victim + 1000;

    Throwable onVictim = catchEnqueue("globex", JobRequest.of("refund").withParent(victim));
    Throwable onNowhere = catchEnqueue("globex", JobRequest.of("refund").withParent(nowhere));

    assertThat(onVictim).isInstanceOf(InvalidInputException.class);
    assertThat(onVictim.getClass()).isEqualTo(onNowhere.getClass());
    assertThat(onVictim.getMessage().replace(Long.toString(victim), "ID"))
        .isEqualTo(onNowhere.getMessage().replace(Long.toString(nowhere), "ID"))
        .doesNotContain("acme", "alice-secret");
    assertThatThrownBy(() -> enqueue("globex", JobRequest.of("refund").afterFailureOf(victim)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("does not exist");
    assertThat(enqueue("acme", JobRequest.of("refund").withParent(victim)).parentId())
        .as("acme's own job may wait for it").isEqualTo(victim);
  }

  @Test
  void upgrading_from_schema_2_keeps_the_jobs_and_their_unique_keys_as_jobs_of_no_tenant() {
    try (JdbcEventStore old = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix() + "up_"))) {
      ComponentDatabase.open(old, new Component("scheduler", SchedulerTables.class, "dev/fabula/scheduler",
          SchedulerTables.COMPONENT.migrations().subList(0, 2))); // the tables as release 2 left them
      enqueue(null, JobRequest.of("invoice").withUniqueKey("invoice-1")); // copied below: a job of release 2
      old.jdbi().useHandle(h -> h.execute("INSERT INTO " + tablePrefix() + "up_jobs (queue, job_type, payload, priority, "
          + "state, run_at, max_attempts, run_trigger, unique_key, created_at, updated_at) "
          + "SELECT queue, job_type, payload, priority, state, run_at, max_attempts, run_trigger, unique_key, created_at, "
          + "updated_at FROM " + tablePrefix() + "jobs WHERE unique_key = 'invoice-1'"));

      JobQueue upgraded = JobQueue.open(old, JobQueueConfig.DEFAULT);
      Job kept = upgraded.list(JobQuery.ALL).get(0);
      assertThat(kept.tenantId()).isNull();
      assertThat(old.inTransaction(tx -> upgraded.enqueue(tx, JobRequest.of("invoice").withUniqueKey("invoice-1"))).id())
          .isEqualTo(kept.id());
      assertThat(old.inTransaction(tx -> upgraded.enqueue(tx.forTenant("acme"),
          JobRequest.of("invoice").withUniqueKey("invoice-1"))).id()).isNotEqualTo(kept.id());
    }
  }

  private Throwable catchEnqueue(String tenant, JobRequest request) {
    try {
      enqueue(tenant, request);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the enqueue was not refused");
  }
}

package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.Erasure;
import dev.fabula.ErasureRecord;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.Await;
import dev.fabula.testkit.TableScan;
import dev.fabula.testkit.contract.ErasureContract;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Erasure seen by the job tables: a tenant's jobs whose payload names the erased stream or subject
 * are deleted with their history (the failed run's stack trace quoting it); a job of a subject
 * whose id merely starts the same stays; the other tenant's job of the same id is byte for byte
 * unchanged, and no table of the database holds the id but that tenant's rows. Schedules, of no
 * tenant, are searched by the unconfined store's erasures only: one whose name or payload holds the
 * target goes with the jobs it made and their history.
 */
abstract class JobErasureContract {
  /** The JDBC URL of this test's database, with credentials. */
  protected abstract String url();

  /** The table prefix of this test. */
  protected abstract String tablePrefix();

  private JdbcEventStore store;
  private JobQueue queue;

  @BeforeEach
  void open() {
    store = JdbcEventStore.open(url(), EventStoreConfig.DEFAULT.withEventTypes(ErasureContract.TYPES).withPersonalData(ErasureContract.POLICY),
        JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tablePrefix()));
    queue = JobQueue.open(store, JobQueueConfig.DEFAULT.withPollInterval(Duration.ofMillis(20)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Job enqueue(@Nullable String tenant, JobRequest request) {
    return store.inTransaction(tx -> queue.enqueue(tenant == null ? tx : tx.forTenant(tenant), request));
  }

  private void erases(Erasure.Kind kind) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String target = kind == Erasure.Kind.STREAM ? "customer-" + id + "@example.com" : "c-" + id;
    store.forTenant("acme").append("customer-" + id + "@example.com", ExpectedVersion.noStream(),
        List.of(EventData.of(new ErasureContract.Registered("c-" + id, "m@example.com", "N", "n"))));
    Job failing = enqueue("acme", JobRequest.of("er-fail").withMaxAttempts(1).withPayload("{\"target\":\"" + target + "\"}"));
    Job pending = enqueue("acme", JobRequest.of("er-keep").withUniqueKey("k-" + target).withPayload("{\"t\":[\"" + target + "\"]}"));
    Job lookalike = enqueue("acme", JobRequest.of("er-keep").withPayload("{\"t\":\"" + target + "1\"}"));
    Job other = enqueue("globex", JobRequest.of("er-keep").withUniqueKey("k-" + target).withPayload("{\"t\":\"" + target + "\"}"));
    queue.register("er-fail", ctx -> {
      throw new IllegalStateException("cannot serve " + ctx.payload());
    });
    try (WorkerPool pool = queue.newWorkerPool(1).start()) {
      Await.until("the job fails", Duration.ofSeconds(20), () -> queue.job(failing.id()).orElseThrow().state() == JobState.FAILED);
    }
    assertThat(queue.history(failing.id())).isNotEmpty();
    TableScan scan = TableScan.of(url());
    assertThat(scan.find(target)).extracting(TableScan.Hit::table).anyMatch(t -> t.contains("job_runs"));
    Job otherBefore = queue.job(other.id()).orElseThrow();

    ErasureRecord record = store.forTenant("acme").erase(new Erasure(kind, target, "ops:test"));

    assertThat(record.counts().get("scheduler")).isGreaterThanOrEqualTo(3L);
    assertThat(queue.job(failing.id())).isEmpty();
    assertThat(queue.history(failing.id())).isEmpty();
    assertThat(queue.job(pending.id())).isEmpty();
    assertThat(queue.job(lookalike.id())).as("c-…1 is another subject").isPresent();
    assertThat(queue.job(other.id())).contains(otherBefore);
    // Left: the other tenant's job, the look-alike, and (for a subject) the events naming it by id.
    assertThat(scan.find(target)).allSatisfy(h -> assertThat(h.row()).as(h.toString())
        .satisfiesAnyOf(r -> assertThat(r).contains("globex"), r -> assertThat(r).contains(target + "1"),
            r -> assertThat(kind == Erasure.Kind.SUBJECT && h.table().contains("events")).isTrue()));
  }

  @Test
  void erasing_from_the_unconfined_store_deletes_the_schedules_that_name_the_target_and_what_they_made() throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String target = "c-" + id;
    store.append("customer-" + id, ExpectedVersion.noStream(),
        List.of(EventData.of(new ErasureContract.Registered(target, "m@example.com", "N", "n"))));
    CountDownLatch ran = new CountDownLatch(1);
    queue.register("er-digest", ctx -> {
      ran.countDown();
      return JobResult.success();
    });
    // Its name holds the target: the occurrence it makes, and its run, carry the name.
    queue.schedule("digest-" + target, Schedule.once(Instant.now()), JobRequest.of("er-digest"));
    try (WorkerPool pool = queue.newWorkerPool(1).start()) {
      assertThat(ran.await(20, TimeUnit.SECONDS)).as("the scheduled job ran").isTrue();
    }
    queue.schedule("mail-" + id, Schedule.every(Duration.ofHours(1)),
        JobRequest.of("er-digest").withPayload("{\"to\":\"" + target + "\"}"));
    queue.schedule("digest-" + target + "1", Schedule.every(Duration.ofHours(1)),
        JobRequest.of("er-digest").withPayload("{\"to\":\"" + target + "1\"}"));
    TableScan scan = TableScan.of(url());
    assertThat(scan.find(target)).extracting(TableScan.Hit::table).anyMatch(t -> t.contains("job_runs"));

    // Schedules are of no tenant: a tenant's erasure of the same id leaves them.
    store.forTenant("acme").erase(Erasure.subject(target).by("ops:test"));
    assertThat(schedules(id)).hasSize(3);

    ErasureRecord record = store.erase(Erasure.subject(target).by("ops:test"));

    assertThat(record.counts().get("scheduler")).isGreaterThanOrEqualTo(4L);
    assertThat(schedules(id)).as("c-…1 is another subject").containsExactly("digest-" + target + "1");
    assertThat(scan.find(target)).allSatisfy(h -> assertThat(h.row()).as(h.toString())
        .satisfiesAnyOf(r -> assertThat(r).contains(target + "1"), r -> assertThat(h.table()).contains("events")));
  }

  private List<String> schedules(String id) {
    return queue.schedules().stream().map(ScheduleInfo::name).filter(n -> n.contains(id)).toList();
  }

  @Test
  void erasing_a_stream_deletes_the_tenants_jobs_that_name_it_with_their_history() {
    erases(Erasure.Kind.STREAM);
  }

  @Test
  void erasing_a_subject_deletes_the_tenants_jobs_that_name_it_with_their_history() {
    erases(Erasure.Kind.SUBJECT);
  }
}

package dev.fabula.docs;

import static dev.fabula.docs.DocRoles.execute;
import static dev.fabula.docs.DocRoles.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.AppendResult;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.StreamDeletedException;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.Projections;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.projections.TransactionalHandler;
import dev.fabula.scheduler.Job;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.JobResult;
import dev.fabula.scheduler.JobState;
import dev.fabula.scheduler.WorkerPool;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The role layout of docs/postgresql.md ("Roles and grants"), run as written: the owner migrates,
 * the application works without DDL and cannot change or delete events by any means, hard deletes
 * need EXECUTE on the owner's function, and the reporting role only reads.
 */
class PostgresRolesTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static final JdbcConfig TABLES = JdbcConfig.DEFAULT.withSchema("fabula");

  /** Roles are cluster-wide: each run names its own, so that a shared server keeps working. */
  private final DocRoles roles = new DocRoles();

  @Test
  void the_application_role_works_without_ddl_and_cannot_change_or_delete_events() throws Exception {
    PostgresDatabase db = postgres.database();
    try (Connection admin = db.dataSource().getConnection()) {
      execute(admin, roles.block("roles-setup"));
    }
    JdbcEventStore.migrate(roles.url(db, "fabula_owner"), TABLES);
    try (Connection owner = roles.connect(db, "fabula_owner")) {
      execute(owner, roles.block("roles-after-migrate"));
      execute(owner, "CREATE TABLE fabula.order_list (id text PRIMARY KEY, status text NOT NULL)");
    }

    try (JdbcEventStore store = JdbcEventStore.open(roles.url(db, "fabula_app"), EventStoreConfig.DEFAULT, TABLES)) {
      AppendResult placed = store.append("order-1", ExpectedVersion.noStream(), List.of(event(store, "placed")));
      assertThat(store.readStream("order-1")).hasSize(1);
      runsAProjection(store, placed.lastPosition());
      runsAJob(store);
      JdbcSnapshotStore.open(store).delete(null, "order-1");

      try (Connection app = roles.connect(db, "fabula_app")) {
        for (String attempt : List.of(
            "UPDATE fabula.fabula_events SET event_type = 'changed'",
            "DELETE FROM fabula.fabula_events",
            "TRUNCATE fabula.fabula_events",
            "BEGIN; SET LOCAL fabula.allow_hard_delete = 'on'; DELETE FROM fabula.fabula_events; COMMIT",
            "SELECT fabula.fabula_hard_delete_stream('', 'order-1')",
            "CREATE TABLE fabula.sneaky (id int)",
            "DROP TRIGGER fabula_events_no_update_or_delete ON fabula.fabula_events")) {
          assertThat(refused(app, attempt).getMessage()).as(attempt)
              .containsAnyOf("permission denied", "must be owner", "append-only");
        }
      }
      // Even a role mistakenly granted every privilege on the table cannot pass the trigger.
      try (Connection owner = roles.connect(db, "fabula_owner")) {
        execute(owner, "GRANT ALL ON fabula.fabula_events TO fabula_app" + roles.suffix());
      }
      try (Connection app = roles.connect(db, "fabula_app")) {
        for (String attempt : List.of(
            "BEGIN; SET LOCAL fabula.allow_hard_delete = 'on'; DELETE FROM fabula.fabula_events; COMMIT",
            "UPDATE fabula.fabula_events SET event_type = 'changed'",
            "TRUNCATE fabula.fabula_events")) {
          assertThat(refused(app, attempt).getMessage()).as(attempt).contains("append-only");
        }
      }
      assertThat(store.readStream("order-1")).singleElement().extracting(e -> e.type()).isEqualTo("placed");

      assertThatThrownBy(() -> store.hardDeleteStream("order-1"))
          .isInstanceOf(EventStoreException.class)
          .hasMessageContaining("hard_delete_stream").hasMessageContaining("grant EXECUTE")
          .hasMessageContaining("Roles and grants");
      assertThat(store.readStream("order-1")).hasSize(1);

      try (Connection owner = roles.connect(db, "fabula_owner")) {
        execute(owner, roles.block("roles-hard-delete"));
      }
      store.hardDeleteStream("order-1");
      assertThatThrownBy(() -> store.readStream("order-1")).isInstanceOf(StreamDeletedException.class);
      try (var log = store.readAll(LogQuery.all())) {
        assertThat(log.filter(e -> e.streamId().equals("order-1"))).isEmpty();
      }
      store.append("order-2", ExpectedVersion.noStream(), List.of(event(store, "placed")));
    }

    try (Connection reporting = roles.connect(db, "fabula_reporting")) {
      try (Statement s = reporting.createStatement();
          var rs = s.executeQuery("SELECT count(*) FROM fabula.fabula_events")) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(1);
      }
      assertThat(refused(reporting, "INSERT INTO fabula.order_list (id, status) VALUES ('x', 'y')").getMessage())
          .contains("permission denied");
    }
  }

  private static void runsAProjection(JdbcEventStore store, long position) {
    Projection orderList = Projection.transactional("order-list", TransactionalHandler.eachEvent((handle, event) ->
        handle.createUpdate("INSERT INTO fabula.order_list (id, status) VALUES (:id, :status) "
                + "ON CONFLICT (id) DO UPDATE SET status = excluded.status")
            .bind("id", event.streamId()).bind("status", event.type()).execute()));
    Projections projections = Projections.open(store);
    try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList)).start()) {
      projections.awaitPosition(orderList.id(), position, Duration.ofSeconds(20));
    }
    String status = store.jdbi().withHandle(h -> h.createQuery("SELECT status FROM fabula.order_list WHERE id = 'order-1'")
        .mapTo(String.class).one());
    assertThat(status).isEqualTo("placed");
  }

  private static void runsAJob(JdbcEventStore store) throws InterruptedException {
    JobQueue queue = JobQueue.open(store, JobQueueConfig.DEFAULT);
    CountDownLatch ran = new CountDownLatch(1);
    queue.register("send-receipt", ctx -> {
      ran.countDown();
      return JobResult.success();
    });
    Job job;
    try (WorkerPool pool = queue.newWorkerPool(1).start()) {
      job = queue.enqueue(JobRequest.of("send-receipt"));
      assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
    } // close() waits for the running job and records its outcome
    assertThat(queue.job(job.id()).orElseThrow().state()).isEqualTo(JobState.SUCCEEDED);
  }

  private static EventData event(JdbcEventStore store, String type) {
    return EventData.json(type, 1, store.types().mapper().createObjectNode().put("total", 12));
  }
}

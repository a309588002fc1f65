package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.TenantDatabases;
import dev.fabula.jdbc.TenantPlacement;
import dev.fabula.migration.TenantMove;
import dev.fabula.migration.TenantMoveConfig;
import dev.fabula.migration.TenantMoveReport;
import dev.fabula.scheduler.JobQueue;
import dev.fabula.scheduler.JobQueueConfig;
import dev.fabula.scheduler.JobRequest;
import dev.fabula.scheduler.TenantJobs;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The code of docs/tenant-databases.md, on two databases of the embedded PostgreSQL server. */
class TenantDatabasesGuideTest {

  @Test
  void routes_tenants_and_moves_one_with_its_jobs() {
    PostgresDatabase main = PostgresServer.shared().createDatabase();
    PostgresDatabase second = PostgresServer.shared().createDatabase();
    String mainUrl = main.jdbcUrlWithCredentials();
    String secondUrl = second.jdbcUrlWithCredentials();
    JdbcConfig jdbc = JdbcConfig.DEFAULT;
    JdbcEventStore.migrate(mainUrl, jdbc); // each database's deploy step, as its owner
    JdbcEventStore.migrate(secondUrl, jdbc);
    try {
      // snippet:open
      Map<String, JdbcEventStore> databases = new LinkedHashMap<>();
      databases.put("main", JdbcEventStore.open(mainUrl, EventStoreConfig.DEFAULT, jdbc));
      databases.put("second", JdbcEventStore.open(secondUrl, EventStoreConfig.DEFAULT, jdbc));
      try (TenantDatabases store = TenantDatabases.open(databases, "main")) { // the directory lives in "main"
        store.place("globex", "second"); // new tenants go to the home database unless placed first
        store.forTenant("globex").append("order-1", ExpectedVersion.noStream(), List.of(placed(42)));
        store.forTenant("acme").append("order-1", ExpectedVersion.noStream(), List.of(placed(7)));
        // end
        assertThat(store.database("second").forTenant("globex").readStream("order-1")).hasSize(1);
        assertThat(store.database("main").forTenant("acme").readStream("order-1")).hasSize(1);

        // snippet:queues
        Map<String, JobQueue> queues = new LinkedHashMap<>();
        store.databases().forEach((name, db) -> queues.put(name, JobQueue.open(db, JobQueueConfig.DEFAULT)));
        JobQueue acmeQueue = queues.get(store.databaseOf("acme"));
        store.forTenant("acme").inTransaction(tx -> acmeQueue.enqueue(tx, JobRequest.of("send-receipt").withDelay(Duration.ofMinutes(5))));
        // end

        // snippet:move
        TenantMoveReport report = TenantMove.open(store, TenantMoveConfig.DEFAULT).move("acme", "second");
        int jobsMoved = TenantJobs.move("acme", queues.get(report.from()), queues.get(report.to()));
        // end
        assertThat(report.parity().passed()).isTrue();
        assertThat(jobsMoved).isEqualTo(1);
        assertThat(store.databaseOf("acme")).isEqualTo("second");
        store.forTenant("acme").append("order-1", ExpectedVersion.exactly(1), List.of(placed(8)));
        assertThat(store.database("second").forTenant("acme").readStream("order-1")).hasSize(2);

        List<String> progress = new java.util.ArrayList<>();
        // snippet:recover
        TenantMove mover = TenantMove.open(store, TenantMoveConfig.DEFAULT)
            .withListener((tenant, phase, copied) -> progress.add(tenant + ": " + phase + ", " + copied + " events copied"));
        Optional<TenantPlacement> globex = store.directory().find("globex");
        if (globex.isPresent() && globex.get().moving()) { // a move whose process died
          mover.abandon("globex", globex.get().movingTo()); // or run mover.move(...) to that database again
        }
        mover.move("globex", "main");
        // end
        assertThat(progress).contains("globex: SWITCHED, 1 events copied");
        assertThat(store.databaseOf("globex")).isEqualTo("main");
      }
    } finally {
      PostgresServer.shared().dropDatabase(main);
      PostgresServer.shared().dropDatabase(second);
    }
  }

  private static EventData placed(int total) {
    return EventData.json("OrderPlaced", 1, JsonNodeFactory.instance.objectNode().put("total", total));
  }
}

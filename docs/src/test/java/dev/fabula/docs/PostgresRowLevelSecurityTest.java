package dev.fabula.docs;

import static dev.fabula.docs.DocRoles.execute;
import static dev.fabula.docs.DocRoles.refused;
import static dev.fabula.docs.DocRoles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.AggregateRepository;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RepositoryConfig;
import dev.fabula.SnapshotPolicy;
import dev.fabula.docs.AggregatesGuideTest.ConfigValueAggregate;
import dev.fabula.docs.AggregatesGuideTest.SetValue;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.JdbcSnapshotStore;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/postgresql.md ("Row-level security") run as written, on the role layout of "Roles and
 * grants": with the policies applied and the store opened with row-level security, the
 * application role works through tenant views, and its raw SQL, with acme's tenant set or none,
 * reads and writes nothing of globex's; an operator role with BYPASSRLS reads every tenant.
 */
class PostgresRowLevelSecurityTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static final List<String> TABLES = List.of("fabula_events", "fabula_streams", "fabula_snapshots");

  /** Roles are cluster-wide: each run names its own. */
  private final DocRoles roles = new DocRoles();

  @Test
  void the_application_role_sees_and_writes_only_the_tenant_its_unit_of_work_set() throws Exception {
    PostgresDatabase db = postgres.database();
    try (Connection admin = db.dataSource().getConnection()) {
      execute(admin, roles.block("roles-setup"));
      execute(admin, roles.block("rls-operator"));
    }
    DataSource ownerDataSource = roles.dataSource(db, "fabula_owner");
    DataSource appDataSource = roles.dataSource(db, "fabula_app");
    EventStoreConfig config = EventStoreConfig.DEFAULT.withEventTypes(AggregatesGuideTest.TYPES);

    // snippet:rls-open
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withSchema("fabula").withRowLevelSecurity(true);
    JdbcEventStore.migrate(ownerDataSource, jdbc); // as fabula_owner: the tables, then the policies
    JdbcEventStore store = JdbcEventStore.open(appDataSource, config, jdbc); // as fabula_app
    EventStore acme = store.forTenant("acme"); // its units of work set fabula.tenant_id to 'acme'
    // end
    try (Connection owner = ownerDataSource.getConnection()) {
      execute(owner, roles.block("roles-after-migrate"));
      execute(owner, roles.block("roles-hard-delete"));
    }

    try (store) {
      EventStore globex = store.forTenant("globex");
      for (EventStore tenant : List.of(acme, globex, store)) {
        tenant.append("order-1", ExpectedVersion.noStream(), List.of(event(store, "placed")));
        tenant.append("order-2", ExpectedVersion.noStream(), List.of(event(store, "placed")));
      }
      var snapshots = JdbcSnapshotStore.open(store);
      RepositoryConfig withSnapshots = RepositoryConfig.DEFAULT.withSnapshots(snapshots, SnapshotPolicy.everyEvents(1));
      AggregateRepository.of(globex, new ConfigValueAggregate(), withSnapshots).handle("db-url", new SetValue("globex-db"));
      var acmeValues = AggregateRepository.of(acme, new ConfigValueAggregate(), withSnapshots);
      acmeValues.handle("db-url", new SetValue("acme-db"));
      acmeValues.handle("db-url", new SetValue("acme-db-2"));
      assertThat(acmeValues.load("db-url").state().value()).isEqualTo("acme-db-2");
      assertThat(snapshots.load("acme", "config-db-url")).isPresent();

      assertThat(acme.readStream("order-1")).singleElement().extracting(e -> e.metadata().tenantId()).isEqualTo("acme");
      assertThat(acme.streamInfo("order-2")).isPresent();
      assertThat(acme.headPosition()).isEqualTo(positions(acme).get(positions(acme).size() - 1));
      assertThat(tenants(acme)).containsOnly("acme");
      assertThat(tenants(globex)).containsOnly("globex");
      // The unconfined store of the application role sees only the unconfined namespace.
      assertThat(tenants(store)).containsOnly("");

      acme.deleteStream("order-2", ExpectedVersion.any());
      acme.hardDeleteStream("order-1");
      assertThat(globex.readStream("order-1")).hasSize(1);
      assertThat(globex.streamInfo("order-2")).hasValueSatisfying(info -> assertThat(info.deleted()).isFalse());

      // A unit of work: the store's statements and the caller's own SQL run as the view's tenant.
      List<String> seen = acme.inTransaction(tx -> {
        tx.append("order-3", ExpectedVersion.noStream(), List.of(event(store, "placed")));
        return tx.unwrap(Handle.class).createQuery("SELECT DISTINCT tenant_id FROM fabula.fabula_events")
            .mapTo(String.class).list();
      });
      assertThat(seen).containsExactly("acme");
      List<String> viaView = store.inTransaction(tx -> {
        tx.forTenant("globex").append("order-4", ExpectedVersion.noStream(), List.of(event(store, "placed")));
        List<String> tenants = new ArrayList<>(tx.forTenant("globex").unwrap(Handle.class)
            .createQuery("SELECT DISTINCT tenant_id FROM fabula.fabula_streams").mapTo(String.class).list());
        tenants.addAll(tx.unwrap(Handle.class)
            .createQuery("SELECT DISTINCT tenant_id FROM fabula.fabula_streams").mapTo(String.class).list());
        return tenants;
      });
      assertThat(viaView).containsExactly("globex", "");
    }

    try (Connection app = roles.dataSource(db, "fabula_app").getConnection()) {
      // No tenant set: the unconfined namespace only, never a tenant's rows.
      for (String table : TABLES) {
        assertThat(strings(app, "SELECT DISTINCT tenant_id FROM fabula." + table)).as(table).isSubsetOf("");
      }
      // acme set, as the store sets it: acme's rows only, and no row may be written for globex.
      app.setAutoCommit(false);
      execute(app, "SELECT set_config('fabula.tenant_id', 'acme', true)");
      for (String table : TABLES) {
        assertThat(strings(app, "SELECT DISTINCT tenant_id FROM fabula." + table)).as(table).containsExactly("acme");
        assertThat(strings(app, "SELECT tenant_id FROM fabula." + table + " WHERE tenant_id = 'globex'")).as(table).isEmpty();
      }
      for (String attempt : List.of(
          "INSERT INTO fabula.fabula_streams (tenant_id, stream_id, version) VALUES ('globex', 'squat', 0)",
          "UPDATE fabula.fabula_streams SET tenant_id = 'globex' WHERE stream_id = 'order-3'",
          "INSERT INTO fabula.fabula_events (tenant_id, stream_id, stream_version, event_id, event_type, schema_version, "
              + "category, metadata, payload, recorded_at) VALUES ('globex', 'order-1', 2, gen_random_uuid(), 'forged', 1, "
              + "'order', '{}', '{}', now())")) {
        assertThat(refused(app, attempt).getMessage()).as(attempt).contains("row-level security");
        execute(app, "SELECT set_config('fabula.tenant_id', 'acme', true)");
      }
      app.rollback();
      execute(app, "SELECT set_config('fabula.tenant_id', 'acme', true)");
      assertThat(refused(app, "SELECT fabula.fabula_hard_delete_stream('globex', 'order-1')").getMessage())
          .contains("may erase only its own streams");
      assertThat(refused(app, "SELECT fabula.fabula_hard_delete_stream('globex', 'order-1')").getMessage())
          .as("with no tenant set").contains("may erase only its own streams");
      // The setting was the transaction's: the connection is back to the unconfined namespace.
      assertThat(strings(app, "SELECT DISTINCT tenant_id FROM fabula.fabula_events")).containsOnly("");
      // The residual risk: SQL that sets the tenant itself reads that tenant (see the docs).
      execute(app, "SELECT set_config('fabula.tenant_id', 'globex', true)");
      assertThat(strings(app, "SELECT DISTINCT tenant_id FROM fabula.fabula_events")).containsExactly("globex");
      app.rollback();
    }

    try (Connection operator = roles.dataSource(db, "fabula_operator").getConnection()) {
      assertThat(strings(operator, "SELECT DISTINCT tenant_id FROM fabula.fabula_events"))
          .containsExactlyInAnyOrder("", "acme", "globex");
      assertThat(strings(operator, "SELECT fabula.fabula_hard_delete_stream('globex', 'order-4')")).containsExactly("1");
    }
    try (Connection reporting = roles.dataSource(db, "fabula_reporting").getConnection()) {
      assertThat(strings(reporting, "SELECT DISTINCT tenant_id FROM fabula.fabula_events")).containsExactly("");
    }
    try (JdbcEventStore operations = JdbcEventStore.open(
        roles.dataSource(db, "fabula_operator"), EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withSchema("fabula"))) {
      assertThat(tenants(operations)).containsExactlyInAnyOrder("", "acme", "globex");
    }
  }

  private static List<Long> positions(EventStore store) {
    try (Stream<RecordedEvent> log = store.readAll(LogQuery.all())) {
      return log.map(RecordedEvent::position).toList();
    }
  }

  /** The tenants of every event {@code store} reads in the global log ('' for none). */
  private static List<String> tenants(EventStore store) {
    try (Stream<RecordedEvent> log = store.readAll(LogQuery.all())) {
      return log.map(e -> e.metadata().tenantId() == null ? "" : e.metadata().tenantId()).distinct().toList();
    }
  }

  private static EventData event(JdbcEventStore store, String type) {
    return EventData.json(type, 1, store.types().mapper().createObjectNode().put("total", 12));
  }
}

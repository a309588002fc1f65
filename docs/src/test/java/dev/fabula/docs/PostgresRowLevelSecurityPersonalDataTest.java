package dev.fabula.docs;

import static dev.fabula.docs.DocRoles.execute;
import static dev.fabula.docs.DocRoles.refused;
import static dev.fabula.docs.DocRoles.strings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.DataSubject;
import dev.fabula.Erasure;
import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.ExpectedVersion;
import dev.fabula.PersonalData;
import dev.fabula.PersonalDataPolicy;
import dev.fabula.RetentionPolicy;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.TransactionJoin;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/postgresql.md ("Row-level security") and docs/personal-data.md on the tables of personal
 * data, erasure and retention: under the application role, with row-level security on, a tenant
 * seals, reads, forgets, erases and applies retention for itself, and its raw SQL with its tenant
 * set can neither read nor change another tenant's data keys, erasure records, removals or
 * archive, nor forget that tenant's subject, nor remove its events through the owner's function.
 */
class PostgresRowLevelSecurityPersonalDataTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @EventType("rls-customer-registered")
  record CustomerRegistered(@DataSubject String customerId, @PersonalData String email, String plan) {}

  private static final List<String> TABLES = List.of(
      "fabula_personal_data_keys", "fabula_erasures", "fabula_removals", "fabula_archived_events", "fabula_archived_streams");

  /** Roles are cluster-wide: each run names its own. */
  private final DocRoles roles = new DocRoles();

  @Test
  void a_tenant_under_the_application_role_reaches_only_its_own_keys_erasures_and_retention() throws Exception {
    PostgresDatabase db = postgres.database();
    try (Connection admin = db.dataSource().getConnection()) {
      execute(admin, roles.block("roles-setup"));
      execute(admin, roles.block("rls-operator"));
    }
    JdbcConfig jdbc = JdbcConfig.DEFAULT.withSchema("fabula").withRowLevelSecurity(true);
    JdbcEventStore.migrate(roles.dataSource(db, "fabula_owner"), jdbc);
    try (Connection owner = roles.connect(db, "fabula_owner")) {
      execute(owner, roles.block("roles-after-migrate"));
      execute(owner, roles.block("roles-hard-delete"));
      execute(owner, roles.block("roles-retention"));
    }
    EventStoreConfig config = EventStoreConfig.DEFAULT
        .withEventTypes(EventTypes.builder().register(CustomerRegistered.class).build())
        .withPersonalData(PersonalDataPolicy.builder().register(CustomerRegistered.class).build());

    try (JdbcEventStore store = JdbcEventStore.open(roles.dataSource(db, "fabula_app"), config, jdbc)) {
      EventStore acme = store.forTenant("acme");
      EventStore globex = store.forTenant("globex");
      for (EventStore tenant : List.of(acme, globex)) {
        // The same stream ids and subjects in both tenants: seal, archive, truncate, erase.
        for (String customer : List.of("c42", "c43")) {
          tenant.append("customer-" + customer, ExpectedVersion.noStream(),
              List.of(EventData.of(new CustomerRegistered(customer, customer + "@example.com", "gold"))));
        }
        for (String sensor : List.of("sensor-1", "sensor-2")) {
          for (int i = 0; i < 3; i++) {
            tenant.append(sensor, ExpectedVersion.any(), List.of(EventData.json("measured", 1,
                store.types().mapper().createObjectNode().put("value", i))));
          }
        }
        assertThat(tenant.retention().apply(RetentionPolicy.keepLast(1).forStream("sensor-1"))).hasSize(1);
        assertThat(tenant.retention().archive("sensor-2")).isPresent();
        tenant.erase(Erasure.subject("c43").by("dpo"));
      }
      // The application role does it all for its own tenant.
      assertThat(email(acme, "c42")).isEqualTo("c42@example.com");
      assertThat(acme.forgetSubject("c42")).isTrue();
      assertThat(email(acme, "c42")).isNull();
      assertThat(acme.erase(Erasure.stream("customer-c43").by("dpo")).total()).isPositive();
      assertThat(acme.erasuresOf(Erasure.subject("c43"))).hasSize(1);
      assertThat(acme.retention().readArchived("sensor-2")).hasSize(3);
      acme.retention().unarchive("sensor-2");
      assertThat(acme.readStream("sensor-2")).hasSize(3);
      acme.retention().archive("sensor-2");
      acme.append("customer-c44", ExpectedVersion.noStream(),
          List.of(EventData.of(new CustomerRegistered("c44", "c44@example.com", "gold"))));

      try (Connection app = roles.connect(db, "fabula_app")) {
        app.setAutoCommit(false);
        execute(app, "SELECT set_config('fabula.tenant_id', 'acme', true)");
        for (String table : TABLES) {
          assertThat(strings(app, "SELECT tenant_id FROM fabula." + table + " WHERE tenant_id = 'globex'")).as(table).isEmpty();
          assertThat(strings(app, "SELECT DISTINCT tenant_id FROM fabula." + table)).as(table).isSubsetOf("acme");
          // Overwriting or deleting globex's rows finds none of them.
          assertThat(updated(app, "UPDATE fabula." + table + " SET tenant_id = tenant_id WHERE tenant_id = 'globex'")).as(table).isZero();
          assertThat(updated(app, "DELETE FROM fabula." + table + " WHERE tenant_id = 'globex'")).as(table).isZero();
        }
        // Forgetting globex's subject as the key store does (forget_subject.sql) deletes nothing.
        assertThat(updated(app, "DELETE FROM fabula.fabula_personal_data_keys WHERE tenant_id = 'globex' AND subject_id = 'c42'"))
            .isZero();
        app.commit();
        for (String attempt : List.of(
            "INSERT INTO fabula.fabula_personal_data_keys (tenant_id, subject_id, version, key_id, key_bytes, created_at) "
                + "VALUES ('globex', 'c42', 9, 'forged', decode(repeat('00', 32), 'hex'), now())",
            "UPDATE fabula.fabula_personal_data_keys SET tenant_id = 'globex'",
            "INSERT INTO fabula.fabula_erasures (id, tenant_id, kind, target_hash, erased_at, requested_by, counts) "
                + "VALUES ('forged', 'globex', 'SUBJECT', 'x', now(), 'nobody', '{}')",
            "UPDATE fabula.fabula_erasures SET tenant_id = 'globex'",
            "INSERT INTO fabula.fabula_archived_streams (tenant_id, stream_id, archived_at) VALUES ('globex', 'sensor-1', now())",
            "UPDATE fabula.fabula_removals SET tenant_id = 'globex'")) {
          execute(app, "SELECT set_config('fabula.tenant_id', 'acme', true)");
          assertThat(refused(app, attempt).getMessage()).as(attempt).contains("row-level security");
        }
        execute(app, "SELECT set_config('fabula.tenant_id', 'acme', true)");
        assertThat(refused(app, "SELECT fabula.fabula_retention_delete_events('globex', 'customer-c42', 100)").getMessage())
            .contains("may remove only its own events");
        app.setAutoCommit(true);
        assertThat(refused(app, "SELECT fabula.fabula_retention_delete_events('globex', 'customer-c42', 100)").getMessage())
            .as("with no tenant set").contains("may remove only its own events");
      }

      // globex is untouched: its keys, records, removals and archive are as it left them.
      assertThat(email(globex, "c42")).isEqualTo("c42@example.com");
      assertThat(globex.erasuresOf(Erasure.subject("c43"))).hasSize(1);
      assertThat(globex.readStream("sensor-1")).singleElement().extracting(e -> e.streamVersion()).isEqualTo(3L);
      assertThat(globex.retention().readArchived("sensor-2")).hasSize(3);
    }

    // In a transaction the store joins (Spring's), a new subject's key is created on a connection of
    // its own, which sets the tenant too; the append commits with the owner's transaction.
    OwnTransaction own = new OwnTransaction();
    try (JdbcEventStore joining = JdbcEventStore.open(roles.dataSource(db, "fabula_app"), config, jdbc, own)) {
      EventStore acme = joining.forTenant("acme");
      own.connection = roles.connect(db, "fabula_app");
      own.connection.setAutoCommit(false);
      acme.append("customer-c45", ExpectedVersion.noStream(),
          List.of(EventData.of(new CustomerRegistered("c45", "c45@example.com", "gold"))));
      own.connection.commit();
      own.connection.close();
      own.connection = null;
      assertThat(email(acme, "c45")).isEqualTo("c45@example.com");
    }

    try (Connection operator = roles.connect(db, "fabula_operator")) {
      assertThat(strings(operator, "SELECT DISTINCT tenant_id FROM fabula.fabula_personal_data_keys"))
          .containsExactlyInAnyOrder("acme", "globex");
      assertThat(strings(operator, "SELECT DISTINCT tenant_id FROM fabula.fabula_erasures"))
          .containsExactlyInAnyOrder("acme", "globex");
    }
  }

  /** A stand-in for Spring's transactions: the test's one connection, while it is set. */
  private static final class OwnTransaction implements TransactionJoin {
    @Nullable Connection connection;

    @Override
    public Optional<Borrowed> current() {
      Connection c = connection;
      if (c == null) {
        return Optional.empty();
      }
      return Optional.of(new Borrowed() {
        @Override
        public Connection connection() {
          return c;
        }

        @Override
        public void afterCommit(Runnable action) {}

        @Override
        public void afterCompletion(Runnable action) {}

        @Override
        public void setRollbackOnly() {}

        @Override
        public void release() {}
      });
    }
  }

  private static String email(EventStore tenant, String customer) {
    return tenant.types().decode(tenant.readStream("customer-" + customer).get(0), CustomerRegistered.class).email();
  }

  private static int updated(Connection connection, String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      return s.executeUpdate(sql);
    }
  }
}

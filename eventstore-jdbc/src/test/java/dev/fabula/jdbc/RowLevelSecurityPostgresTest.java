package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.EventStoreException;
import dev.fabula.ExpectedVersion;
import dev.fabula.LogQuery;
import dev.fabula.Transaction;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mechanics of {@link JdbcConfig#withRowLevelSecurity}: the tenant is set per transaction and
 * never outlives it on a pooled connection, the policies are applied only when asked and checked
 * on open, and SQLite refuses the setting. The policies themselves, under a role that does not own
 * the tables, are proven in docs (PostgresRowLevelSecurityTest).
 */
class RowLevelSecurityPostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static final JdbcConfig RLS = TestStores.MIGRATING.withRowLevelSecurity(true).withMaxPoolSize(1);

  @Test
  void each_unit_of_work_sets_its_tenant_for_its_own_transaction_only() {
    try (JdbcEventStore store = JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, RLS)) {
      EventStore acme = store.forTenant("acme");
      acme.append("order-1", ExpectedVersion.noStream(), List.of(event(store)));

      assertThat(acme.inTransaction(RowLevelSecurityPostgresTest::setting)).isEqualTo("acme");
      assertThat(store.inTransaction(RowLevelSecurityPostgresTest::setting)).isEmpty();
      List<String> seen = store.inTransaction(tx -> {
        Transaction globex = tx.forTenant("globex");
        globex.append("order-1", ExpectedVersion.noStream(), List.of(event(store)));
        return List.of(setting(globex), setting(tx), setting(tx.forTenant("acme")));
      });
      assertThat(seen).containsExactly("globex", "", "acme");

      // Reads set it too, and the one pooled connection never keeps it for its next user.
      assertThat(acme.readStream("order-1")).hasSize(1);
      assertThat(acme.headPosition()).isEqualTo(1);
      try (var log = acme.readAll(LogQuery.all())) {
        assertThat(log.map(e -> e.streamId())).containsExactly("order-1");
      }
      assertThat(sessionSetting(store)).isIn(null, "");
      assertThat(store.forTenant("globex").streamInfo("order-1")).isPresent();
      assertThat(sessionSetting(store)).isIn(null, "");
    }
  }

  @Test
  void without_row_level_security_nothing_is_set() {
    try (JdbcEventStore store = JdbcEventStore.open(
        postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, TestStores.migrating("plain_").withMaxPoolSize(1))) {
      EventStore acme = store.forTenant("acme");
      assertThat(acme.inTransaction(RowLevelSecurityPostgresTest::setting)).isNull();
      acme.append("order-1", ExpectedVersion.noStream(), List.of(event(store)));
      assertThat(acme.readStream("order-1")).hasSize(1);
      assertThat(sessionSetting(store)).isNull();
      long policies = store.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_policies WHERE tablename LIKE 'plain\\_%'")
          .mapTo(Long.class).one());
      assertThat(policies).as("the policies are optional: not applied by default").isZero();
    }
  }

  @Test
  void migrating_with_row_level_security_applies_the_policies_and_opening_checks_for_them() {
    String url = postgres.database().jdbcUrlWithCredentials();
    JdbcConfig plain = JdbcConfig.DEFAULT.withTablePrefix("rls_");
    JdbcEventStore.migrate(url, plain);
    assertThatThrownBy(() -> JdbcEventStore.open(url, EventStoreConfig.DEFAULT, plain.withRowLevelSecurity(true)))
        .isInstanceOf(SchemaNotMigratedException.class)
        .hasMessageContaining("no row-level-security policies")
        .hasMessageContaining("migrate --row-level-security")
        .hasMessageContaining("withRowLevelSecurity(true)");

    assertThat(JdbcEventStore.migrate(url, plain.withRowLevelSecurity(true))).containsEntry("row_level_security", 2);
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, plain.withRowLevelSecurity(true))) {
      assertThat(policies(store, "rls_")).containsExactlyElementsOf(covered("rls_"));
    }
    assertThat(JdbcEventStore.migrate(url, plain.withRowLevelSecurity(true))).containsEntry("row_level_security", 2);
  }

  @Test
  void policies_cover_the_personal_data_erasure_and_retention_tables_when_row_level_security_is_migrated_first() {
    // Row-level security on from the first open, which migrates: the tables of personal data,
    // erasure and retention are created before the policies, never after them without one.
    JdbcConfig first = TestStores.migrating("first_").withRowLevelSecurity(true).withMaxPoolSize(1);
    try (JdbcEventStore store = JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, first)) {
      store.forTenant("acme").append("order-1", ExpectedVersion.noStream(), List.of(event(store)));
      assertThat(policies(store, "first_")).containsExactlyElementsOf(covered("first_"));
    }
  }

  @Test
  void sqlite_refuses_row_level_security(@TempDir Path dir) {
    assertThatThrownBy(() -> JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("app.db"), EventStoreConfig.DEFAULT,
            TestStores.MIGRATING.withRowLevelSecurity(true)))
        .isInstanceOf(EventStoreException.class)
        .hasMessageContaining("row-level security")
        .hasMessageContaining("needs PostgreSQL");
  }

  @Test
  void a_database_at_the_first_version_of_the_policies_is_told_and_migrating_again_covers_the_new_tables() {
    String url = postgres.database().jdbcUrlWithCredentials();
    JdbcConfig old = JdbcConfig.DEFAULT.withTablePrefix("old_").withRowLevelSecurity(true);
    JdbcEventStore.migrate(url, old);
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withTablePrefix("old_"))) {
      // Back to what an older release left: version 1, policies on events, streams and snapshots only.
      store.jdbi().useHandle(h -> {
        for (String table : List.of("personal_data_keys", "erasures", "removals", "archived_events", "archived_streams")) {
          h.execute("DROP POLICY old_" + table + "_tenant ON old_" + table);
          h.execute("ALTER TABLE old_" + table + " DISABLE ROW LEVEL SECURITY");
        }
        h.execute("DELETE FROM old_schema_version WHERE component = 'row_level_security' AND version = 2");
      });
    }
    assertThatThrownBy(() -> JdbcEventStore.open(url, EventStoreConfig.DEFAULT, old))
        .isInstanceOf(SchemaNotMigratedException.class)
        .hasMessageContaining("older release (version 1 of 2)")
        .hasMessageContaining("data keys, erasure records")
        .hasMessageContaining("migrate --row-level-security");

    assertThat(JdbcEventStore.migrate(url, old)).containsEntry("row_level_security", 2);
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, old)) {
      assertThat(policies(store, "old_")).containsExactlyElementsOf(covered("old_"));
    }
  }

  /** The tables of {@code prefix} that have a policy, in name order. */
  private static List<String> policies(JdbcEventStore store, String prefix) {
    return store.jdbi().withHandle(h -> h.createQuery(
            "SELECT tablename FROM pg_policies WHERE tablename LIKE :prefix || '%' AND policyname = tablename || '_tenant' "
                + "ORDER BY tablename")
        .bind("prefix", prefix.replace("_", "\\_"))
        .mapTo(String.class).list());
  }

  /** Every table of {@code prefix} keyed by tenant, in name order: each must have its policy. */
  private static List<String> covered(String prefix) {
    return java.util.stream.Stream.of("archived_events", "archived_streams", "erasures", "events", "personal_data_keys",
        "removals", "snapshots", "streams").map(t -> prefix + t).toList();
  }

  private static @Nullable String setting(Transaction tx) {
    return tx.unwrap(Handle.class).createQuery("SELECT current_setting('fabula.tenant_id', true)")
        .mapTo(String.class).findOne().orElse(null);
  }

  /** The setting on the store's one pooled connection, read outside any unit of work. */
  private static @Nullable String sessionSetting(JdbcEventStore store) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT current_setting('fabula.tenant_id', true)")
        .mapTo(String.class).findOne().orElse(null));
  }

  private static EventData event(JdbcEventStore store) {
    return EventData.json("placed", 1, store.types().mapper().createObjectNode().put("total", 1));
  }
}

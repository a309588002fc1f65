package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A store without a configured schema uses the connection's, exactly as named. */
class SchemaNamePostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Test
  void a_mixed_case_schema_in_the_search_path_is_used_as_named_and_no_lower_case_twin_is_created() throws Exception {
    String url = postgres.database().jdbcUrlWithCredentials();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA \"MyApp\"");
      s.execute("ALTER DATABASE \"" + c.getCatalog() + "\" SET search_path TO \"MyApp\"");
    }
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, TestStores.MIGRATING)) {
      store.append("a-1", ExpectedVersion.noStream(),
          List.of(EventData.json("x", 1, store.types().mapper().createObjectNode().put("n", 1))));
      assertThat(store.headPosition()).isEqualTo(1);
      List<String> schemas = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT DISTINCT table_schema FROM information_schema.tables WHERE table_name = 'fabula_events'")
          .mapTo(String.class).list());
      assertThat(schemas).containsExactly("MyApp");
      long twins = store.jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'myapp'").mapTo(Long.class).one());
      assertThat(twins).isZero();
    }
  }
}

package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The code of docs/postgresql.md, run on the embedded PostgreSQL. */
class PostgresGuideTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Test
  void opens_the_store_on_a_data_source_that_holds_the_credentials() {
    PostgresDatabase db = postgres.database();
    String url = db.jdbcUrl();
    String user = db.username();
    String password = db.password() == null ? "" : db.password();

    JdbcEventStore.migrate(db.jdbcUrlWithCredentials(), JdbcConfig.DEFAULT); // the owner's deploy step

    // snippet:datasource
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url); // jdbc:postgresql://db:5432/app, no credentials in it
    pool.setUsername(user);
    pool.setPassword(password); // from your secret store or the environment, never a literal
    try (HikariDataSource dataSource = new HikariDataSource(pool);
        JdbcEventStore store = JdbcEventStore.open(dataSource, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT)) {
      store.append("order-1", ExpectedVersion.noStream(),
          List.of(EventData.json("OrderPlaced", 1, JsonNodeFactory.instance.objectNode().put("total", 42))));
    }
    // end
    try (JdbcEventStore again = JdbcEventStore.open(db.jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT, TestTables.MIGRATING)) {
      assertThat(again.readStream("order-1")).hasSize(1);
    }
  }
}

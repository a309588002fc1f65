package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.StoreUnavailableException;
import dev.fabula.testkit.postgres.PostgresDatabase;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The store's own pool puts its statement and lock timeouts on every connection. */
class TimeoutsPostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static JdbcEventStore open(String prefix, JdbcConfig jdbc) {
    return JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), EventStoreConfig.DEFAULT,
        jdbc.withMigrateOnOpen(true).withTablePrefix(prefix));
  }

  @Test
  void connections_carry_the_default_statement_and_lock_timeouts() {
    try (JdbcEventStore store = open("tdefault_", JdbcConfig.DEFAULT)) {
      String statement = store.jdbi().withHandle(h -> h.createQuery("SHOW statement_timeout").mapTo(String.class).one());
      String lock = store.jdbi().withHandle(h -> h.createQuery("SHOW lock_timeout").mapTo(String.class).one());

      assertThat(statement).isEqualTo("1min");
      assertThat(lock).isEqualTo("10s");
    }
  }

  @Test
  void a_statement_that_runs_too_long_fails_as_unavailable_naming_the_setting() {
    try (JdbcEventStore store = open("tstmt_", JdbcConfig.DEFAULT.withStatementTimeout(Duration.ofMillis(200)))) {
      assertThatThrownBy(() -> store.inTransaction(tx ->
              tx.unwrap(Handle.class).createQuery("SELECT pg_sleep(5)").mapTo(String.class).one()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("statement_timeout (JdbcConfig.withStatementTimeout)");
    }
  }

  @Test
  void an_append_that_waits_too_long_for_a_stream_lock_fails_as_unavailable_naming_the_setting() throws Exception {
    try (JdbcEventStore store = open("tlock_", JdbcConfig.DEFAULT.withLockTimeout(Duration.ofMillis(300)))) {
      store.append("hot", ExpectedVersion.noStream(), List.of(note()));
      PostgresDatabase db = postgres.database();
      try (Connection holder = db.dataSource().getConnection(); Statement s = holder.createStatement()) {
        holder.setAutoCommit(false);
        s.executeQuery("SELECT * FROM tlock_streams WHERE stream_id = 'hot' FOR UPDATE").close();

        assertThatThrownBy(() -> store.append("hot", ExpectedVersion.any(), List.of(note())))
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("lock_timeout (JdbcConfig.withLockTimeout)");
        holder.rollback();
      }
    }
  }

  private static EventData note() {
    return EventData.json("note", 1, JsonNodeFactory.instance.objectNode().put("n", 1));
  }
}

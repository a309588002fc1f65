package dev.fabula.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Change capture on PostgreSQL. */
class CapturePostgresTest extends CaptureContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }

  @Override
  protected List<String> schemaOf(JdbcEventStore store, String table) {
    return store.jdbi().withHandle(h -> {
      List<String> out = new ArrayList<>(h.createQuery("SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' '"
              + " || COALESCE(column_default, '') FROM information_schema.columns WHERE table_name = :t ORDER BY ordinal_position")
          .bind("t", table).mapTo(String.class).list());
      out.addAll(h.createQuery("SELECT indexdef FROM pg_indexes WHERE tablename = :t ORDER BY indexname")
          .bind("t", table).mapTo(String.class).list());
      out.addAll(h.createQuery("SELECT tgname FROM pg_trigger WHERE tgrelid = CAST(:t AS regclass) ORDER BY tgname")
          .bind("t", table).mapTo(String.class).list());
      out.addAll(h.createQuery("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
              + " WHERE conrelid = CAST(:t AS regclass) ORDER BY conname")
          .bind("t", table).mapTo(String.class).list());
      return out;
    });
  }

  @Override
  protected String binaryType() {
    return "BYTEA";
  }

  @Test
  void a_legacy_role_with_rights_only_on_its_own_table_keeps_writing_while_capture_is_installed() throws Exception {
    JdbcEventStore store = store();
    String table = readingsTable(store, 1);
    String role = store.jdbcConfig().tablePrefix() + "legacy_app";
    store.jdbi().useHandle(h -> {
      h.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'legacy'");
      h.execute("GRANT USAGE ON SCHEMA " + h.createQuery("SELECT current_schema()").mapTo(String.class).one() + " TO " + role);
      h.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + table + " TO " + role);
    });
    try {
      Capture capture = Capture.open(store);
      capture.install(table);

      try (Connection legacy = DriverManager.getConnection(postgres.database().jdbcUrl(), role, "legacy");
          Statement s = legacy.createStatement()) {
        s.execute("INSERT INTO " + table + " (id, meter, wh, note) VALUES (2, 'm2', 20, NULL)");
        s.execute("UPDATE " + table + " SET wh = 21 WHERE id = 2");
        s.execute("DELETE FROM " + table + " WHERE id = 1");
        assertThatThrownBy(() -> s.executeQuery("SELECT * FROM " + store.jdbcConfig().tablePrefix() + "migration_capture"))
            .as("the legacy role still has no right on the capture table").hasMessageContaining("permission denied");
      }

      assertThat(capture.pending(table)).isEqualTo(3);
      assertThat(CaptureRunner.open(store, table, Readings.changeMapping(store), CaptureConfig.DEFAULT).drain()).isEqualTo(3);
      assertThat(store.readStream("reading-2")).extracting(RecordedEvent::type).containsExactly("ReadingInserted", "ReadingUpdated");
    } finally {
      store.jdbi().useHandle(h -> {
        h.execute("DROP OWNED BY " + role);
        h.execute("DROP ROLE " + role);
      });
    }
  }
}

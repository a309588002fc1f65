package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The facts docs/postgresql.md states about PostgreSQL itself, checked on a real server with the
 * store's own DDL: the events table cannot be partitioned without giving up a unique key.
 */
class PostgreSqlGuideTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  private static final String MIGRATION = "dev/fabula/jdbc/postgresql/migrations/V1__event_store.sql";
  private static final Pattern EVENTS_TABLE =
      Pattern.compile("CREATE TABLE \\$\\{schema}\\.\\$\\{prefix}events \\(.*?\\n\\)", Pattern.DOTALL);

  @ParameterizedTest
  @ValueSource(strings = {"RANGE (position)", "HASH (stream_id)", "HASH (event_id)", "LIST (category)"})
  void postgresql_refuses_the_events_table_partitioned_by_any_key(String partitionKey) throws Exception {
    try (Connection c = postgres.database().dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SEQUENCE IF NOT EXISTS public.part_position_seq");

      assertThatThrownBy(() -> s.execute(eventsTable("part_") + " PARTITION BY " + partitionKey))
          .as("the events table partitioned by %s", partitionKey)
          .isInstanceOfSatisfying(SQLException.class, refused -> {
            assertThat(refused.getSQLState()).isEqualTo("0A000"); // feature_not_supported
            assertThat(refused.getMessage())
                .contains("unique constraint on partitioned table must include all partitioning columns");
          });
    }
  }

  @Test
  void the_same_table_partitions_by_position_range_only_without_the_stream_version_and_event_id_keys() throws Exception {
    String withoutThem = eventsTable("bare_")
        .replaceAll(",\\s*CONSTRAINT bare_events_stream_version_uk UNIQUE \\(stream_id, stream_version\\)", "")
        .replaceAll(",\\s*CONSTRAINT bare_events_event_id_uk UNIQUE \\(event_id\\)", "");
    assertThat(withoutThem).doesNotContain("UNIQUE").contains("PRIMARY KEY (position)");
    try (Connection c = postgres.database().dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SEQUENCE IF NOT EXISTS public.bare_position_seq");

      s.execute(withoutThem + " PARTITION BY RANGE (position)");

      assertThat(s.executeQuery("SELECT 1 FROM pg_partitioned_table p JOIN pg_class t ON t.oid = p.partrelid "
          + "WHERE t.relname = 'bare_events'").next()).isTrue();
    }
  }

  /** The store's own {@code CREATE TABLE …events (…)}, with the schema {@code public} and {@code prefix}. */
  private static String eventsTable(String prefix) throws IOException {
    String script;
    try (InputStream in = PostgreSqlGuideTest.class.getClassLoader().getResourceAsStream(MIGRATION)) {
      assertThat(in).as(MIGRATION).isNotNull();
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = EVENTS_TABLE.matcher(script);
    assertThat(m.find()).as("CREATE TABLE of the events in %s", MIGRATION).isTrue();
    return m.group().replace("${schema}", "public").replace("${prefix}", prefix);
  }
}

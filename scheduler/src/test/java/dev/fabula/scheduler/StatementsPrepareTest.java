package dev.fabula.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.jdbc.spi.ComponentDatabase;
import dev.fabula.scheduler.internal.SchedulerTables;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.io.File;
import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every statement file of each dialect is prepared by its database, and both dialects ship the same set. */
class StatementsPrepareTest {
  @RegisterExtension
  static PostgresExtension postgres = new PostgresExtension();

  private static List<String> names(String dialect) throws Exception {
    URL folder = Objects.requireNonNull(StatementsPrepareTest.class.getClassLoader().getResource("dev/fabula/scheduler/" + dialect));
    List<String> names = new ArrayList<>();
    for (File f : Objects.requireNonNull(new File(folder.toURI()).listFiles())) {
      if (f.getName().endsWith(".sql")) {
        names.add(f.getName().substring(0, f.getName().length() - 4));
      }
    }
    names.sort(null);
    return names;
  }

  private static void prepareAll(String url) throws Exception {
    try (JdbcEventStore store = JdbcEventStore.open(url, EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix("prep_"))) {
      JobQueue.open(store, JobQueueConfig.DEFAULT);
      ComponentDatabase sql = ComponentDatabase.open(store, SchedulerTables.COMPONENT);
      List<String> names = sql.statementNames();
      assertThat(names).hasSizeGreaterThan(40);
      store.jdbi().useHandle(h -> {
        Connection c = h.getConnection();
        for (String name : names) {
          String jdbc = sql.sql(name).replaceAll("(?<![:\\w]):([a-z_]+)", "?");
          try (PreparedStatement ps = c.prepareStatement(jdbc)) {
            ps.getParameterMetaData(); // PostgreSQL parses and describes the statement on the server
          } catch (Exception e) {
            throw new AssertionError(sql.dialectName() + " statement " + name + " does not prepare: " + e.getMessage(), e);
          }
        }
      });
    }
  }

  @Test
  void every_postgresql_statement_prepares() throws Exception {
    prepareAll(PostgresUrls.url(postgres.database()));
  }

  @Test
  void every_sqlite_statement_prepares(@TempDir Path dir) throws Exception {
    prepareAll("jdbc:sqlite:" + dir.resolve("prepare.db"));
  }

  @Test
  void both_dialects_have_the_same_statements() throws Exception {
    assertThat(names("sqlite")).isEqualTo(names("postgresql"));
  }
}

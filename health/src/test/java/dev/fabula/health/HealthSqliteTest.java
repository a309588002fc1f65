package dev.fabula.health;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The health contract on SQLite. */
class HealthSqliteTest extends HealthContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("health.db"), EventStoreConfig.DEFAULT, config);
  }
}

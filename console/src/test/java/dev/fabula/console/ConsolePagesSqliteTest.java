package dev.fabula.console;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The console's blue/green and migration pages on SQLite. */
class ConsolePagesSqliteTest extends ConsolePagesContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("console-pages.db"), EventStoreConfig.DEFAULT, config);
  }
}

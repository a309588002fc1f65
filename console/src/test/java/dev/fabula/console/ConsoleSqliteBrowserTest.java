package dev.fabula.console;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The console in a browser, on SQLite. */
class ConsoleSqliteBrowserTest extends ConsoleBrowserContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("console.db"), EventStoreConfig.DEFAULT, config);
  }

  @Override
  protected String backend() {
    return "sqlite";
  }
}

package dev.fabula.tracing;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The tracing contract on SQLite. */
class TracingSqliteTest extends TracingContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("tracing.db"), config, jdbc);
  }
}

package dev.fabula.metrics;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The metrics contract on SQLite. */
class MetricsSqliteTest extends MetricsContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore openStore(JdbcConfig config) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("metrics.db"), EventStoreConfig.DEFAULT, config);
  }
}

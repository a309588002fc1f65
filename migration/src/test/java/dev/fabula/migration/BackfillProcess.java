package dev.fabula.migration;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;

/** A child JVM that runs the readings backfill (killed and restarted by the end-to-end test). */
public final class BackfillProcess {
  private BackfillProcess() {}

  /** Arguments: JDBC URL, table prefix, legacy table, import name, batch size. */
  public static void main(String[] args) {
    try (JdbcEventStore store = JdbcEventStore.open(args[0], EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(args[1]))) {
      Importer.open(store, ImportSource.query(args[3], "SELECT id, meter, wh, note FROM " + args[2], "id"),
          Readings.importMapping(store), ImportConfig.DEFAULT.withBatchSize(Integer.parseInt(args[4]))).run();
    }
  }
}

package dev.fabula.examples.benchmarks;

import dev.fabula.EventData;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSource;
import dev.fabula.migration.Importer;
import dev.fabula.migration.MappedRow;

/**
 * The backfill rate: a legacy table of {@code rows} readings imported with the migration toolkit's
 * {@link Importer} (batches of 500, one event per row, checkpoint per batch), in rows per second.
 * Needs the {@code migration} module on the class path (the lead adds the dependency).
 */
public final class BackfillWorkload {
  private BackfillWorkload() {}

  /** Creates a legacy table of {@code rows} rows in the store's database, imports it, and returns rows per second. */
  public static double rowsPerSecond(JdbcEventStore store, int rows) {
    String table = store.jdbcConfig().tablePrefix() + "bench_legacy_" + System.nanoTime();
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh BIGINT NOT NULL)");
      var batch = h.prepareBatch("INSERT INTO " + table + " (id, meter, wh) VALUES (:id, :meter, :wh)");
      for (int i = 1; i <= rows; i++) {
        batch.bind("id", (long) i).bind("meter", "m" + (i % 100)).bind("wh", (long) i).add();
        if (i % 5000 == 0) {
          batch.execute();
        }
      }
      if (rows % 5000 != 0) {
        batch.execute();
      }
    });
    Importer importer = Importer.open(store, ImportSource.query(table, "SELECT id, meter, wh FROM " + table, "id"),
        row -> MappedRow.of("reading-" + table + "-" + row.get("id"),
            EventData.json("ReadingImported", 1, store.types().mapper().valueToTree(row))),
        ImportConfig.DEFAULT.withBatchSize(500).withCountTotal(false));
    long start = System.nanoTime();
    long read = importer.run().rowsRead();
    double seconds = (System.nanoTime() - start) / 1e9;
    store.jdbi().useHandle(h -> h.execute("DROP TABLE " + table));
    return read / seconds;
  }
}

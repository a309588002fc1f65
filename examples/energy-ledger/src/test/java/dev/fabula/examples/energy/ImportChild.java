package dev.fabula.examples.energy;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportConfig;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child JVM that runs the legacy import and, at a given row, says {@code BLOCKED} and waits to be
 * killed (SIGKILL) by the test: a crash in the middle of a batch, in another process.
 */
public final class ImportChild {
  private ImportChild() {}

  /** Arguments: JDBC URL, table prefix, batch size, the row (1-based) to block at. */
  public static void main(String[] args) throws InterruptedException {
    LedgerTables tables = LedgerTables.prefixed(args[1]);
    int blockAt = Integer.parseInt(args[3]);
    AtomicInteger rows = new AtomicInteger();
    Object never = new Object();
    try (JdbcEventStore store = JdbcEventStore.open(args[0],
        EventStoreConfig.DEFAULT.withEventTypes(EnergyLedger.TYPES), JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(tables.storePrefix()))) {
      LegacyImport.of(store, tables, ImportConfig.DEFAULT.withBatchSize(Integer.parseInt(args[2])))
          .withBeforeEachRow(row -> {
            if (rows.incrementAndGet() == blockAt) {
              System.out.println("BLOCKED at row " + blockAt);
              System.out.flush();
              synchronized (never) {
                while (true) {
                  try {
                    never.wait();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
              }
            }
          })
          .run();
      System.out.println("DONE");
    }
  }
}

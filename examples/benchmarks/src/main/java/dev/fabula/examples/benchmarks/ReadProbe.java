package dev.fabula.examples.benchmarks;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.stream.Stream;

/**
 * Reads a store's whole global log in a JVM of its own (started with a small {@code -Xmx}) and
 * prints the number of events and the peak heap used: proof that memory does not grow with the log.
 */
public final class ReadProbe {
  private ReadProbe() {}

  /** Arguments: the JDBC URL and the table prefix. Prints {@code events=<n> peak_heap_bytes=<b>}. */
  public static void main(String[] args) {
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    long n = 0;
    try (EventStore store = JdbcEventStore.open(args[0], EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(args[1]).withMaxPoolSize(2));
        Stream<RecordedEvent> events = store.readAll(LogQuery.all())) {
      for (var it = events.iterator(); it.hasNext(); it.next()) {
        n++;
      }
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("events=" + n + " peak_heap_bytes=" + peak);
  }
}

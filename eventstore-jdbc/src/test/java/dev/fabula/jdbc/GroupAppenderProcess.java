package dev.fabula.jdbc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.spi.StoreObserver;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * An appender process for {@link GroupCommitCrashPostgresTest}: opens a store, then appends single
 * events from several threads, each to its own stream with exact expected versions, so that the
 * appends form groups; prints {@code ACK <thread> <n>} once the n-th append (0-based) of a thread
 * has returned, and {@code GROUP <size>} for each group of more than one append, until killed.
 */
public final class GroupAppenderProcess {
  private GroupAppenderProcess() {}

  /** The id of thread {@code t}'s {@code n}-th event: the parent knows it without being told. */
  static UUID eventId(int thread, long n) {
    return UUID.nameUUIDFromBytes(("group-crash-" + thread + "-" + n).getBytes(StandardCharsets.UTF_8));
  }

  /** Arguments: the JDBC URL, the table prefix, the number of threads. */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int threads = Integer.parseInt(args[2]);
    JdbcEventStore store = JdbcEventStore.open(args[0], EventStoreConfig.DEFAULT, TestStores.migrating(args[1]).withMaxPoolSize(4));
    store.observe(new StoreObserver() {
      @Override
      public void groupCommitted(int appends) {
        if (appends > 1) {
          synchronized (out) {
            out.println("GROUP " + appends);
          }
        }
      }
    });
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread writer = new Thread(() -> {
        for (long n = 0; ; n++) {
          EventData e = EventData.json("counted", 1, JsonNodeFactory.instance.objectNode().put("n", n))
              .withEventId(eventId(thread, n));
          store.append("crash-" + thread, ExpectedVersion.exactly(n), List.of(e));
          synchronized (out) {
            out.println("ACK " + thread + " " + n);
          }
        }
      }, "writer-" + t);
      writer.start();
    }
    Thread.currentThread().join(); // until killed
  }
}

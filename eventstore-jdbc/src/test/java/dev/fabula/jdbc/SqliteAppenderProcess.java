package dev.fabula.jdbc;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.StreamInfo;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A second process for {@link JdbcStoreSqliteTest}: appends to its own stream of a shared file,
 * pausing halfway until the other process's stream is halfway too, so that the two processes'
 * appends are sure to overlap.
 */
public final class SqliteAppenderProcess {
  /** The longest the halfway wait may take. */
  static final Duration HALFWAY_TIMEOUT = Duration.ofSeconds(90);

  private SqliteAppenderProcess() {}

  /** Arguments: the JDBC URL, the table prefix, the stream, the number of appends and the other process's stream. */
  public static void main(String[] args) throws InterruptedException {
    try (JdbcEventStore store = JdbcEventStore.open(args[0], EventStoreConfig.DEFAULT, TestStores.migrating(args[1]))) {
      ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();
      appendWithHalfwayMeeting(store, args[2], Integer.parseInt(args[3]), args[4], parent::isAlive);
    }
  }

  /**
   * Appends {@code n} events to {@code stream} one at a time; after the first half, waits until
   * {@code other} has at least as many events, then appends the second half.
   *
   * @param otherAlive whether the process appending to {@code other} still runs: the wait ends
   *     with an error as soon as it does not
   */
  static void appendWithHalfwayMeeting(EventStore store, String stream, int n, String other, BooleanSupplier otherAlive)
      throws InterruptedException {
    for (int i = 0; i < n; i++) {
      if (i == n / 2) {
        awaitVersion(store, other, n / 2, otherAlive);
      }
      store.append(stream, ExpectedVersion.exactly(i),
          List.of(EventData.json("tick", 1, store.types().mapper().createObjectNode().put("i", i))));
    }
  }

  private static void awaitVersion(EventStore store, String stream, long version, BooleanSupplier otherAlive)
      throws InterruptedException {
    long deadline = System.nanoTime() + HALFWAY_TIMEOUT.toNanos();
    while (store.streamInfo(stream).map(StreamInfo::version).orElse(0L) < version) {
      if (!otherAlive.getAsBoolean()) {
        throw new IllegalStateException("the process appending to " + stream + " ended before it reached version " + version);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(stream + " did not reach version " + version + " within " + HALFWAY_TIMEOUT);
      }
      Thread.sleep(5);
    }
  }
}

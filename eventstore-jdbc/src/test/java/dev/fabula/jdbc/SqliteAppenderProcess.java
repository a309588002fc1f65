package dev.fabula.jdbc;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import java.util.List;

/** A second process for {@link JdbcStoreSqliteTest}: appends to its own stream of a shared file. */
public final class SqliteAppenderProcess {
  private SqliteAppenderProcess() {}

  /** Arguments: the JDBC URL, the table prefix, the stream and the number of appends. */
  public static void main(String[] args) {
    try (JdbcEventStore store = JdbcEventStore.open(args[0], EventStoreConfig.DEFAULT.withTablePrefix(args[1]))) {
      int n = Integer.parseInt(args[3]);
      for (int i = 0; i < n; i++) {
        store.append(args[2], ExpectedVersion.exactly(i),
            List.of(EventData.json("tick", 1, store.types().mapper().createObjectNode().put("i", i))));
      }
    }
  }
}

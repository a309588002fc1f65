package dev.fabula.jdbc;

import dev.fabula.EventStoreConfig;
import java.nio.file.Path;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.io.TempDir;

/** {@link SchemaUpgradeContract} on SQLite. */
class SchemaUpgradeSqliteTest extends SchemaUpgradeContract {
  @TempDir static Path dir;

  @Override
  protected JdbcEventStore open(EventStoreConfig config, JdbcConfig jdbc) {
    return JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("upgrade.db"), config, jdbc);
  }

  @Override
  protected void eraseAsVersion1Did(Handle h, String events, String streamId) {
    String permit = events.replaceAll("events$", "hard_delete_permit");
    h.createUpdate("INSERT INTO " + permit + " (stream_id) VALUES (:s)").bind("s", streamId).execute();
    h.createUpdate("DELETE FROM " + events + " WHERE stream_id = :s").bind("s", streamId).execute();
    h.createUpdate("DELETE FROM " + permit + " WHERE stream_id = :s").bind("s", streamId).execute();
  }
}

package dev.fabula.migration;

import dev.fabula.jdbc.JdbcEventStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Change capture on SQLite. */
class CaptureSqliteTest extends CaptureContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("capture.db");
  }

  @Override
  protected List<String> schemaOf(JdbcEventStore store, String table) {
    return store.jdbi().withHandle(h -> h.createQuery(
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master WHERE tbl_name = :t ORDER BY type, name")
        .bind("t", table).mapTo(String.class).list());
  }

  @Override
  protected String binaryType() {
    return "BLOB";
  }
}

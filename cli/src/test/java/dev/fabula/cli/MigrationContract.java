package dev.fabula.cli;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the command line's contract tests need: fresh stores on the backend under test, and a
 * legacy table to migrate. The part of the migration module's test base of the same name that
 * these tests use (modules do not share test code).
 */
abstract class MigrationContract {
  private final List<JdbcEventStore> opened = new ArrayList<>();

  /** The JDBC URL of the backend's database (with credentials). */
  protected abstract String url();

  /** A store with tables of its own (a unique prefix) on the backend's database. */
  protected JdbcEventStore store() {
    JdbcEventStore store = JdbcEventStore.open(url(),
        EventStoreConfig.DEFAULT, JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(StoreContractSupport.uniqueTablePrefix()));
    opened.add(store);
    return store;
  }

  /** Creates a legacy readings table with {@code rows} rows: id, meter, wh, note. */
  protected static String readingsTable(JdbcEventStore store, int rows) {
    String table = store.jdbcConfig().tablePrefix() + "readings";
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh BIGINT NOT NULL, note VARCHAR(200))");
      var batch = h.prepareBatch("INSERT INTO " + table + " (id, meter, wh, note) VALUES (:id, :meter, :wh, :note)");
      for (int i = 1; i <= rows; i++) {
        batch.bind("id", (long) i).bind("meter", "m" + (i % 7)).bind("wh", (long) i * 10).bind("note", i % 3 == 0 ? null : "n" + i).add();
      }
      batch.execute();
    });
    return table;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JdbcEventStore::close);
    opened.clear();
  }
}

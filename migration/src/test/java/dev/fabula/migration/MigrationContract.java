package dev.fabula.migration;

import dev.fabula.EventStoreConfig;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** What every migration contract test needs: fresh stores on the backend under test, and legacy tables. */
abstract class MigrationContract {
  private final List<JdbcEventStore> opened = new ArrayList<>();

  /** The JDBC URL of the backend's database (with credentials). */
  protected abstract String url();

  /** A store with tables of its own (a unique prefix) on the backend's database. */
  protected JdbcEventStore store() {
    return store(Clock.systemUTC());
  }

  /** A store with tables of its own, on {@code clock}. */
  protected JdbcEventStore store(Clock clock) {
    JdbcEventStore store = JdbcEventStore.open(url(),
        EventStoreConfig.DEFAULT.withClock(clock), JdbcConfig.DEFAULT.withMigrateOnOpen(true).withTablePrefix(StoreContractSupport.uniqueTablePrefix()));
    opened.add(store);
    return store;
  }

  /** A legacy table name unique to this store. */
  protected static String legacyTable(JdbcEventStore store, String name) {
    return store.jdbcConfig().tablePrefix() + name;
  }

  /** Creates a legacy readings table with {@code rows} rows: id, meter, wh, note. */
  protected static String readingsTable(JdbcEventStore store, int rows) {
    String table = legacyTable(store, "readings");
    store.jdbi().useHandle(h -> {
      h.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, meter VARCHAR(40) NOT NULL, wh BIGINT NOT NULL, note VARCHAR(200))");
      var batch = h.prepareBatch("INSERT INTO " + table + " (id, meter, wh, note) VALUES (:id, :meter, :wh, :note)");
      for (int i = 1; i <= rows; i++) {
        batch.bind("id", (long) i).bind("meter", "m" + (i % 7)).bind("wh", (long) i * 10).bind("note", i % 3 == 0 ? null : "n" + i).add();
        if (i % 5000 == 0) {
          batch.execute();
        }
      }
      if (rows % 5000 != 0) {
        batch.execute();
      }
    });
    return table;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JdbcEventStore::close);
    opened.clear();
  }
}

package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.contract.PersonalDataContract;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

/** The PersonalDataContract on SQLite: one file per test class, a table prefix per store. */
class PersonalDataSqliteTest extends PersonalDataContract {
  @TempDir static Path dir;
  private @Nullable PersonalDataScans scans;

  private synchronized PersonalDataScans scans() {
    if (scans == null) {
      scans = new PersonalDataScans("jdbc:sqlite:" + dir.resolve("store.db"));
    }
    return scans;
  }

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return scans().track(JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("store.db"), config, TestStores.migrating(tablePrefix)), tablePrefix);
  }

  @Override
  protected List<String> storedText(EventStore store) {
    return scans().storedText(store);
  }

  @Override
  protected int keyVersions(EventStore store, @Nullable String tenant, String subject) {
    return scans().keyVersions(store, tenant, subject);
  }

  @Override
  protected void copyStoredPayload(EventStore store, long from, long to) {
    scans().copyStoredPayload(store, from, to);
  }
}

package dev.fabula.jdbc;

import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.testkit.contract.PersonalDataContract;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PersonalDataContract on PostgreSQL: one database per test class, a table prefix per store. */
class PersonalDataPostgresTest extends PersonalDataContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();
  private @Nullable PersonalDataScans scans;

  private synchronized PersonalDataScans scans() {
    if (scans == null) {
      scans = new PersonalDataScans(postgres.database().jdbcUrlWithCredentials());
    }
    return scans;
  }

  @Override
  protected EventStore openStore(EventStoreConfig config, String tablePrefix) {
    return scans().track(JdbcEventStore.open(postgres.database().jdbcUrlWithCredentials(), config, TestStores.migrating(tablePrefix)), tablePrefix);
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

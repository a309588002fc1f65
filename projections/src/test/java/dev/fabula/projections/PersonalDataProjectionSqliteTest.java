package dev.fabula.projections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.jdbc.JdbcConfig;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.testkit.contract.PersonalDataFixtures;
import dev.fabula.testkit.contract.PersonalDataFixtures.Address;
import dev.fabula.testkit.contract.PersonalDataFixtures.CustomerRegistered;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crypto-shredding seen by projections: a projection rebuilt after a subject was forgotten writes
 * the redacted value into its read model, and a live projection started afterwards never sees the
 * personal data.
 */
class PersonalDataProjectionSqliteTest {
  @TempDir Path dir;

  @Test
  void a_rebuild_after_forgetting_writes_null_and_others_keep_their_data() {
    EventStoreConfig config = EventStoreConfig.DEFAULT.withEventTypes(PersonalDataFixtures.TYPES)
        .withPersonalData(PersonalDataFixtures.POLICY);
    try (JdbcEventStore store = JdbcEventStore.open("jdbc:sqlite:" + dir.resolve("p.db"), config,
        JdbcConfig.DEFAULT.withMigrateOnOpen(true))) {
      store.inTransaction(tx -> tx.unwrap(org.jdbi.v3.core.Handle.class)
          .execute("CREATE TABLE customer_emails (customer_id TEXT PRIMARY KEY, email TEXT)"));
      Projections projections = Projections.open(store);
      Projection emails = Projection.transactional("customer-emails", TransactionalHandler.eachEvent((h, e) -> {
        CustomerRegistered c = store.types().decode(e, CustomerRegistered.class);
        h.execute("INSERT INTO customer_emails (customer_id, email) VALUES (?, ?)", c.customerId(), c.email());
      })).withReset(h -> h.execute("DELETE FROM customer_emails"));
      store.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(
          new CustomerRegistered("alice", "alice@example.com", new Address("1 Rue", "Lyon"), 1))));
      long last = store.append("customer-bob", ExpectedVersion.noStream(), List.of(EventData.of(
          new CustomerRegistered("bob", "bob@example.com", null, 1)))).lastPosition();
      try (ProjectionRunner runner = projections.runner(ContractSupport.FAST, List.of(emails)).start()) {
        projections.awaitPosition(emails.id(), last, Duration.ofSeconds(20));
        assertThat(readModel(store)).containsEntry("alice", "alice@example.com");

        store.forgetSubject("alice");
        projections.rebuild(emails.id());
        projections.awaitPosition(emails.id(), last, Duration.ofSeconds(20));
        Map<String, String> rebuilt = readModel(store);
        assertThat(rebuilt).containsEntry("alice", null).containsEntry("bob", "bob@example.com");
      }
      try (LiveProjection<Map<String, String>> live = LiveProjection.start(store, EventFilter.ALL, Map.<String, String>of(),
          (state, e) -> {
            Map<String, String> next = new HashMap<>(state);
            next.put(e.payload().get("customerId").asText(), e.payload().get("email").isNull() ? "<redacted>" : e.payload().get("email").asText());
            return next;
          }, Duration.ofMinutes(10))) {
        assertThat(live.state()).containsEntry("alice", "<redacted>").containsEntry("bob", "bob@example.com");
      }
    }
  }

  private static Map<String, String> readModel(JdbcEventStore store) {
    return store.inTransaction(tx -> {
      Map<String, String> rows = new HashMap<>();
      tx.unwrap(org.jdbi.v3.core.Handle.class).createQuery("SELECT customer_id, email FROM customer_emails")
          .map((rs, ctx) -> rows.put(rs.getString(1), rs.getString(2))).list();
      return rows;
    });
  }
}

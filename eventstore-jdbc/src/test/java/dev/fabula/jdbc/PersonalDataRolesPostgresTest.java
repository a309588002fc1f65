package dev.fabula.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.EventData;
import dev.fabula.EventStore;
import dev.fabula.EventStoreConfig;
import dev.fabula.ExpectedVersion;
import dev.fabula.testkit.contract.PersonalDataFixtures;
import dev.fabula.testkit.contract.PersonalDataFixtures.CustomerRegistered;
import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Crypto-shredding under the least-privilege role layout: the owner migrates (the key table comes
 * with the store's tables), the application role, with row privileges only, creates keys, reads
 * and forgets.
 */
class PersonalDataRolesPostgresTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Test
  void the_application_role_creates_reads_and_forgets_keys_in_tables_the_owner_migrated() {
    try (ApplicationRoles roles = ApplicationRoles.create(postgres.database())) {
      JdbcEventStore.migrate(roles.ownerUrl(), JdbcConfig.DEFAULT);
      roles.revokeEventChanges("fabula_");
      EventStoreConfig config = EventStoreConfig.DEFAULT.withEventTypes(PersonalDataFixtures.TYPES)
          .withPersonalData(PersonalDataFixtures.POLICY);
      try (EventStore store = JdbcEventStore.open(roles.appUrl(), config, JdbcConfig.DEFAULT)) {
        EventStore acme = store.forTenant("acme");
        CustomerRegistered alice = new CustomerRegistered("alice", "alice@example.com", null, 1);
        acme.append("customer-alice", ExpectedVersion.noStream(), List.of(EventData.of(alice)));
        acme.rotateSubjectKey("alice");
        assertThat(acme.types().decode(acme.readStream("customer-alice").get(0), CustomerRegistered.class)).isEqualTo(alice);
        assertThat(acme.forgetSubject("alice")).isTrue();
        assertThat(acme.types().decode(acme.readStream("customer-alice").get(0), CustomerRegistered.class).email()).isNull();
      }
      roles.assertEventsCannotChange("fabula_");
    }
  }
}

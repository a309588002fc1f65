package dev.fabula.examples.energy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fabula.testkit.postgres.ApplicationRoles;
import dev.fabula.testkit.postgres.PostgresExtension;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger under least privilege: the owner migrates, the application role records readings and reads ledgers. */
class EnergyLedgerRolesTest {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Test
  void records_readings_and_reads_each_users_ledger_as_the_application_role() {
    try (ApplicationRoles roles = ApplicationRoles.create(postgres.database())) {
      EnergyLedger.migrate(roles.ownerUrl(), LedgerTables.DEFAULT);
      roles.revokeEventChanges(LedgerTables.DEFAULT.storePrefix());

      try (EnergyLedger ledger = EnergyLedger.open(roles.appUrl(), LedgerTables.DEFAULT)) {
        UserLedger thandi = ledger.user("thandi");
        thandi.buyTokens("m-1", "p-1", new BigDecimal("100"), new BigDecimal("250.00"), Instant.parse("2025-03-01T08:00:00Z"));
        thandi.recordReading("m-1", "r-1", new BigDecimal("1000.0"), Instant.parse("2025-03-02T08:00:00Z"));
        thandi.recordReading("m-1", "r-2", new BigDecimal("1012.5"), Instant.parse("2025-03-03T08:00:00Z"));
        ledger.awaitReadModel();

        assertThat(thandi.meters()).singleElement().satisfies(m -> {
          assertThat(m.readings()).isEqualTo(2);
          assertThat(m.consumedKwh()).isEqualByComparingTo("12.5");
          assertThat(m.balanceKwh()).isEqualByComparingTo("87.5");
        });
        assertThat(thandi.ledger("m-1")).extracting(LedgerLine::id).containsExactly("p-1", "r-1", "r-2");
        assertThat(ledger.user("sipho").meters()).isEmpty();
        assertThat(ledger.user("sipho").ledger("m-1")).isEmpty();
      }
      roles.assertEventsCannotChange(LedgerTables.DEFAULT.storePrefix());
    }
  }
}

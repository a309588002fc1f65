package dev.fabula.examples.energy;

import dev.fabula.testkit.postgres.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The energy ledger story on PostgreSQL: one database per class, tables of their own per test. */
class EnergyLedgerPostgresTest extends EnergyLedgerContract {
  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected String url() {
    return postgres.database().jdbcUrlWithCredentials();
  }
}

package dev.fabula.examples.energy;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The energy ledger story on SQLite: one database file, tables of its own per test. */
class EnergyLedgerSqliteTest extends EnergyLedgerContract {
  @TempDir static Path dir;

  @Override
  protected String url() {
    return "jdbc:sqlite:" + dir.resolve("energy.db");
  }
}

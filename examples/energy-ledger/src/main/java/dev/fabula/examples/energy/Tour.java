package dev.fabula.examples.energy;

import static dev.fabula.examples.energy.LegacyDatabase.PIETER_METER;
import static dev.fabula.examples.energy.LegacyDatabase.THANDI_METER;

import dev.fabula.CommandResult;
import dev.fabula.RecordedEvent;
import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.migration.ImportConfig;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A short scripted story of the energy ledger: a legacy table imported into events (twice: the
 * second run writes nothing), a reading voided by a compensating event, a late reading, running
 * totals per user recomputed over the affected span, tenant isolation, and the parity report.
 */
public final class Tour {
  private Tour() {}

  /** Plays the tour on {@code jdbcUrl} (an empty database) and tells what happens on {@code out}. */
  public static void run(String jdbcUrl, PrintStream out) {
    run(jdbcUrl, out, (ledger, story) -> story.run());
  }

  /**
   * Plays the tour as {@link #run(String, PrintStream)} does, but hands the open ledger and the
   * story to {@code around}, which runs the story (once) and may do more before and after it while
   * the ledger is open: {@link Main} serves the admin console and the meters there.
   */
  public static void run(String jdbcUrl, PrintStream out, BiConsumer<EnergyLedger, Runnable> around) {
    EnergyLedger.migrate(jdbcUrl, LedgerTables.DEFAULT);
    try (EnergyLedger ledger = EnergyLedger.open(jdbcUrl, LedgerTables.DEFAULT)) {
      around.accept(ledger, () -> play(ledger, jdbcUrl, out));
    }
  }

  private static void play(EnergyLedger ledger, String jdbcUrl, PrintStream out) {
    LedgerTables t = ledger.tables();
    out.println("Energy ledger tour on " + JdbcEventStore.maskCredentials(jdbcUrl));
    new LegacyDatabase(ledger.store().jdbi(), t).create().sample();
    out.println("1. The old CRUD app kept 7 rows in " + t.legacyReadings() + " and 3 in " + t.legacyPurchases()
        + " (users thandi and pieter).");

    LegacyImport.Result first = ledger.importLegacy(ImportConfig.DEFAULT);
    out.printf("2. Import (migration Importer, one per table, each row into its user's tenant): %d rows read, %d events written.%n",
        first.rowsRead(), first.eventsWritten());
    LegacyImport.Result again = ledger.importLegacy(ImportConfig.DEFAULT);
    out.printf("   Rerun of the import: %d rows read, %d events written, %d rows already imported.%n",
        again.rowsRead(), again.eventsWritten(), again.rowsSkipped());

    UserLedger thandi = ledger.user("thandi");
    Instant mar29 = Instant.parse("2025-03-29T18:00:00Z");
    thandi.recordReading(THANDI_METER, "r-0329", new BigDecimal("12124.0"), mar29).orThrow();
    out.println("3. Thandi types 12124.0 kWh for 29 March; she meant 1212.4.");
    CommandResult<MeterEvent> refused = thandi.recordReading(THANDI_METER, "r-0329b", new BigDecimal("1212.4"),
        mar29.plusSeconds(300));
    out.println("   Recording 1212.4 next to it is refused by the Meter decider: "
        + refused.rejection().map(r -> r.code()).orElse("accepted?"));
    thandi.voidReading(THANDI_METER, "r-0329", "typo: 12124.0 instead of 1212.4").orThrow();
    thandi.recordReading(THANDI_METER, "r-0329b", new BigDecimal("1212.4"), mar29.plusSeconds(300)).orThrow();
    out.println("   She voids it (a ReadingVoided event refers to r-0329; nothing is deleted) and records 1212.4.");

    thandi.recordReading(THANDI_METER, "r-0312", new BigDecimal("1080.0"), Instant.parse("2025-03-12T18:00:00Z"))
        .orThrow();
    ledger.awaitReadModel();
    List<LedgerReadModel.Recalculation> recalcs = thandi.recalculations(THANDI_METER);
    out.printf("4. A paper reading of 12 March (1080.0 kWh) arrives late: the projection recomputed %d of %d readings.%n",
        recalcs.get(recalcs.size() - 1).readingsRecomputed(), thandi.ledger(THANDI_METER).stream()
            .filter(l -> l.kind() == LedgerLine.Kind.READING).count());

    out.println("5. Thandi's ledger (read model tables " + t.readModelPrefix() + "*, kWh):");
    printLedger(out, thandi.ledger(THANDI_METER));
    UserLedger pieter = ledger.user("pieter");
    out.println("   Totals per meter:");
    for (UserLedger user : List.of(thandi, pieter)) {
      for (MeterTotals m : user.meters()) {
        out.printf("   %-7s meter %s: bought %s kWh for %s, position %s, used %s, balance %s kWh%n", m.userId(),
            m.meter(), kwh(m.tokensKwh()), money(m.tokensAmount()), kwh(m.positionKwh()), kwh(m.consumedKwh()),
            kwh(m.balanceKwh()));
      }
    }

    out.println("6. Each user sees only their own data:");
    out.println("   Pieter reading Thandi's meter stream: " + pieter.history(THANDI_METER).size()
        + " events (each user has a namespace of their own: another user's meter is no meter at all)");
    out.printf("   Pieter's read model: %d meter(s), %d lines for Thandi's meter.%n", pieter.meters().size(),
        pieter.ledger(THANDI_METER).size());

    List<RecordedEvent> history = thandi.history(THANDI_METER);
    out.printf("7. Thandi's meter stream holds %d events: %s%n", history.size(),
        history.stream().map(RecordedEvent::type).distinct().toList());
    LedgerParity.Result parity = ledger.parity();
    out.println("8. Parity check (migration ParityCheck, by legacy id and sums, tolerance 0.1%):");
    for (String line : parity.describe().split("\n")) {
      out.println("   " + line);
    }
    out.println(parity.passed() ? "The read model matches the legacy tables." : "PARITY FAILED");

    ledger.eraseUser("thandi", "dpo:ticket-1");
    LedgerLine voided = thandi.ledger(THANDI_METER).stream().filter(l -> l.id().equals("r-0329")).findFirst().orElseThrow();
    out.printf("9. Thandi asks to be forgotten: her reasons are erased (crypto-shredding: docs/personal-data.md); "
        + "r-0329's note now reads '%s', her balance is still %s kWh.%n", voided.note(), kwh(thandi.meters().get(0).balanceKwh()));
  }

  private static void printLedger(PrintStream out, List<LedgerLine> lines) {
    out.printf("   %-10s %-8s %-7s %9s %8s %8s %8s  %s%n", "date", "what", "id", "kWh", "used", "bought", "balance", "note");
    for (LedgerLine l : lines) {
      boolean purchase = l.kind() == LedgerLine.Kind.PURCHASE;
      out.printf("   %-10s %-8s %-7s %9s %8s %8s %8s  %s%n", l.at().toString().substring(0, 10),
          purchase ? "tokens" : "reading", l.id(), kwh(l.kwh()), purchase ? "" : kwh(l.consumptionKwh()),
          purchase ? "" : kwh(l.boughtToDateKwh()), purchase ? "" : kwh(l.balanceKwh()),
          purchase ? "paid " + money(l.amount()) : l.note());
    }
  }

  private static String kwh(BigDecimal value) {
    return value == null ? "-" : value.setScale(Math.max(1, value.stripTrailingZeros().scale()), RoundingMode.UNNECESSARY)
        .toPlainString();
  }

  private static String money(BigDecimal value) {
    return value == null ? "-" : value.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
  }
}

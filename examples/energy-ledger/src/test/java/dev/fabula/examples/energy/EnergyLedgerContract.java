package dev.fabula.examples.energy;

import static dev.fabula.examples.energy.LegacyDatabase.PIETER_METER;
import static dev.fabula.examples.energy.LegacyDatabase.THANDI_METER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fabula.CommandResult;
import dev.fabula.LogQuery;
import dev.fabula.ErasureRecord;
import dev.fabula.RecordedEvent;
import dev.fabula.Rejection;
import dev.fabula.examples.energy.MeterEvent.ReadingCorrected;
import dev.fabula.examples.energy.MeterEvent.ReadingVoided;
import dev.fabula.examples.energy.MeterEvent.TokensPurchased;
import dev.fabula.migration.FailedRow;
import dev.fabula.migration.ImportConfig;
import dev.fabula.migration.ImportSummary;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import dev.fabula.projections.ReadModelDiff;
import dev.fabula.projections.RunnerConfig;
import dev.fabula.testkit.ChildJvm;
import dev.fabula.testkit.contract.StoreContractSupport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The energy ledger story end to end on one backend: import, rerun, crash and resume, parity, voids,
 * late readings, corrections, late purchases, exact decimals and tenant isolation. Every test opens a
 * ledger with table names of its own.
 */
abstract class EnergyLedgerContract {
  private final List<EnergyLedger> opened = new ArrayList<>();

  /** The JDBC URL of the backend's database. */
  protected abstract String url();

  /** A ledger with tables of its own. */
  private EnergyLedger ledger() {
    return ledger(StoreContractSupport.uniqueTablePrefix());
  }

  private EnergyLedger ledger(String prefix) {
    EnergyLedger.migrate(url(), LedgerTables.prefixed(prefix));
    EnergyLedger ledger = EnergyLedger.open(url(), LedgerTables.prefixed(prefix));
    opened.add(ledger);
    return ledger;
  }

  private static LegacyDatabase legacy(EnergyLedger ledger) {
    return new LegacyDatabase(ledger.store().jdbi(), ledger.tables()).create();
  }

  /** A ledger with the sample legacy data imported and projected. */
  private EnergyLedger imported() {
    EnergyLedger ledger = ledger();
    legacy(ledger).sample();
    LegacyImport.Result result = ledger.importLegacy(ImportConfig.DEFAULT);
    assertThat(result.eventsWritten()).isEqualTo(10);
    ledger.awaitReadModel();
    return ledger;
  }

  @AfterEach
  void close() {
    opened.forEach(EnergyLedger::close);
  }

  private static BigDecimal d(String value) {
    return new BigDecimal(value);
  }

  private static Instant at(String text) {
    return Instant.parse(text);
  }

  private static List<RecordedEvent> log(EnergyLedger ledger) {
    try (var events = ledger.store().readAll(LogQuery.all())) {
      return events.toList();
    }
  }

  private static LedgerLine line(UserLedger user, String meter, String id) {
    return user.ledger(meter).stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
  }

  private static MeterTotals totals(UserLedger user) {
    assertThat(user.meters()).hasSize(1);
    return user.meters().get(0);
  }

  private static void assertTotals(MeterTotals m, String tokensKwh, String amount, int readings, String position,
      String consumed, String balance) {
    assertThat(m.tokensKwh()).as("tokens kWh").isEqualByComparingTo(tokensKwh);
    assertThat(m.tokensAmount()).as("tokens amount").isEqualByComparingTo(amount);
    assertThat(m.readings()).as("valid readings").isEqualTo(readings);
    assertThat(m.positionKwh()).as("meter position").isEqualByComparingTo(position);
    assertThat(m.consumedKwh()).as("consumed").isEqualByComparingTo(consumed);
    assertThat(m.balanceKwh()).as("balance").isEqualByComparingTo(balance);
  }

  /** Consumption, consumed to date, bought to date and balance of one ledger line. */
  private static void assertRunning(LedgerLine l, String consumption, String consumedToDate, String bought,
      String balance) {
    if (consumption == null) {
      assertThat(l.consumptionKwh()).as(l.id() + " consumption").isNull();
    } else {
      assertThat(l.consumptionKwh()).as(l.id() + " consumption").isEqualByComparingTo(consumption);
    }
    assertThat(l.consumedToDateKwh()).as(l.id() + " consumed to date").isEqualByComparingTo(consumedToDate);
    assertThat(l.boughtToDateKwh()).as(l.id() + " bought to date").isEqualByComparingTo(bought);
    assertThat(l.balanceKwh()).as(l.id() + " balance").isEqualByComparingTo(balance);
  }

  @Test
  void imports_every_legacy_row_once_into_its_users_tenant_and_a_rerun_writes_nothing() {
    EnergyLedger ledger = ledger();
    legacy(ledger).sample();

    LegacyImport.Result first = ledger.importLegacy(ImportConfig.DEFAULT);

    assertThat(first.summaries()).extracting(ImportSummary::name)
        .containsExactly(ledger.tables().legacyReadings(), ledger.tables().legacyPurchases()); // one import per table
    assertThat(first.rowsRead()).isEqualTo(10);
    assertThat(first.eventsWritten()).isEqualTo(10);
    assertThat(first.failedRows()).isEmpty();
    assertThat(log(ledger)).hasSize(10);
    assertThat(ledger.store().forTenant("thandi").streamInfo("meter-" + THANDI_METER).orElseThrow().tenantId()).isEqualTo("thandi");
    assertThat(ledger.store().forTenant("pieter").streamInfo("meter-" + PIETER_METER).orElseThrow().tenantId()).isEqualTo("pieter");
    assertThat(log(ledger)).filteredOn(e -> e.metadata().entries().get(LegacyImport.LEGACY_ID).equals("6"))
        .singleElement().satisfies(e -> {
          assertThat(e.type()).isEqualTo("reading-recorded");
          assertThat(e.payload().get("registerKwh").decimalValue()).isEqualByComparingTo("530.25");
          assertThat(e.metadata().tenantId()).isEqualTo("pieter");
        });

    LegacyImport.Result rerun = ledger.importLegacy(ImportConfig.DEFAULT);

    assertThat(rerun.eventsWritten()).isZero();
    assertThat(rerun.rowsRead()).isEqualTo(10);
    assertThat(rerun.rowsSkipped()).isEqualTo(10);
    assertThat(log(ledger)).hasSize(10);

    ledger.awaitReadModel();
    assertTotals(totals(ledger.user("thandi")), "300.0", "810.00", 4, "1160.0", "160.0", "140.0");
    assertTotals(totals(ledger.user("pieter")), "150.0", "405.00", 3, "561.0", "61.0", "89.0");
    UserLedger thandi = ledger.user("thandi");
    assertRunning(line(thandi, THANDI_METER, "er-1"), null, "0", "200.0", "200.0");
    assertRunning(line(thandi, THANDI_METER, "er-2"), "52.5", "52.5", "200.0", "147.5");
    assertRunning(line(thandi, THANDI_METER, "er-3"), "48.8", "101.3", "200.0", "98.7");
    assertRunning(line(thandi, THANDI_METER, "er-4"), "58.7", "160.0", "300.0", "140.0");
  }

  /** Thrown by the test's mapping hook: stands for the process dying in the middle of a batch. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("simulated crash in the middle of a batch");
    }
  }

  @Test
  void a_crashed_import_resumes_and_every_row_becomes_exactly_one_event() {
    EnergyLedger ledger = ledger();
    LegacyDatabase legacy = legacy(ledger);
    Set<String> rows = new HashSet<>();
    long id = 0;
    for (String user : List.of("user1", "user2", "user3")) {
      for (int i = 1; i <= 40; i++) {
        id++;
        legacy.reading(id, user, "m-" + user, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(3600L * i).toString(),
            String.valueOf(1000 + i * 3) + ".5");
        rows.add(ledger.tables().legacyReadings() + "#" + id);
      }
    }
    for (long p = 1; p <= 30; p++) {
      String user = "user" + (1 + (p - 1) / 10);
      legacy.purchase(p, user, "m-" + user, "2025-01-01T00:30:00Z", "10.5", "28.35");
      rows.add(ledger.tables().legacyPurchases() + "#" + p);
    }
    AtomicInteger mapped = new AtomicInteger();
    LegacyImport crashing = LegacyImport.of(ledger.store(), ledger.tables(), ImportConfig.DEFAULT.withBatchSize(7))
        .withBeforeEachRow(row -> {
          if (mapped.incrementAndGet() == 60) {
            throw new SimulatedCrash();
          }
        });

    assertThatThrownBy(crashing::run).isInstanceOf(SimulatedCrash.class);
    // One import reads the readings of every user in id order: 8 batches of 7 (ids 1 to 56) are
    // committed; the batch with the 60th row (ids 57 to 63) died before its commit.
    assertThat(log(ledger)).hasSize(56);

    LegacyImport.Result resumed = LegacyImport.of(ledger.store(), ledger.tables(), ImportConfig.DEFAULT.withBatchSize(7)).run();

    assertThat(resumed.failedRows()).isEmpty();
    List<RecordedEvent> events = log(ledger);
    assertThat(events).hasSize(150);
    assertThat(events).extracting(e -> e.metadata().entries().get(LegacyImport.LEGACY_TABLE) + "#"
        + e.metadata().entries().get(LegacyImport.LEGACY_ID)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(rows);
    assertThat(events).extracting(RecordedEvent::eventId).doesNotHaveDuplicates();

    LegacyImport.Result again = LegacyImport.of(ledger.store(), ledger.tables(), ImportConfig.DEFAULT.withBatchSize(7)).run();
    assertThat(again.eventsWritten()).isZero();
    assertThat(again.rowsSkipped()).isEqualTo(150);
    assertThat(log(ledger)).hasSize(150);

    ledger.awaitReadModel();
    MeterTotals user2 = totals(ledger.user("user2"));
    assertThat(user2.readings()).isEqualTo(40);
    assertThat(user2.purchases()).isEqualTo(10);
    assertTotals(user2, "105.0", "283.50", 40, "1120.5", "117.0", "-12.0");
    assertThat(ledger.parity().passed()).as(ledger.parity().describe()).isTrue();
  }

  @Test
  @Timeout(120)
  void an_import_process_killed_in_the_middle_of_a_batch_resumes_and_writes_each_row_once() throws Exception {
    String prefix = StoreContractSupport.uniqueTablePrefix();
    EnergyLedger ledger = ledger(prefix);
    LegacyDatabase legacy = legacy(ledger);
    for (long id = 1; id <= 60; id++) {
      String user = "user" + (1 + (id - 1) / 20);
      legacy.reading(id, user, "m-" + user, Instant.parse("2025-02-01T00:00:00Z").plusSeconds(3600 * id).toString(),
          id + "0.25");
    }

    // Batches of 5 over every user's rows in id order: ids 1 to 30 (user1's 20, user2's first 10)
    // commit; row 33 is in the batch being mapped when the process dies.
    Process child = new ProcessBuilder(ChildJvm.command(ImportChild.class, url(), prefix, "5", "33"))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      do {
        line = out.readLine();
        assertThat(line).as("the child's output before it blocks").isNotNull().doesNotContain("DONE");
      } while (!line.startsWith("BLOCKED"));
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(log(ledger)).hasSize(30);

    LegacyImport.Result resumed = ledger.importLegacy(ImportConfig.DEFAULT.withBatchSize(5));

    assertThat(resumed.failedRows()).isEmpty();
    List<RecordedEvent> events = log(ledger);
    assertThat(events).hasSize(60);
    assertThat(events).extracting(e -> e.metadata().entries().get(LegacyImport.LEGACY_ID)).doesNotHaveDuplicates()
        .hasSize(60);
    ledger.awaitReadModel();
    assertTotals(totals(ledger.user("user2")), "0", "0", 20, "400.25", "190", "-190");
    assertThat(ledger.parity().passed()).isTrue();
  }

  @Test
  void parity_passes_after_the_import_and_finds_rows_changed_or_added_since() {
    EnergyLedger ledger = imported();

    LedgerParity.Result parity = ledger.parity();

    assertThat(parity.passed()).as(parity.describe()).isTrue();
    assertThat(parity.readings().legacyRows()).isEqualTo(7);
    assertThat(parity.readings().aggregates()).filteredOn(a -> a.name().equals("sum(reading_kwh)")).singleElement()
        .satisfies(a -> assertThat(a.readModel()).isEqualByComparingTo("5905.05"));
    assertThat(parity.purchases().aggregates()).filteredOn(a -> a.name().equals("sum(amount)")).singleElement()
        .satisfies(a -> assertThat(a.readModel()).isEqualByComparingTo("1215.00"));

    // The legacy app changes a reading by 1 kWh and adds one: within ±0.1% in sum, but not by key.
    ledger.store().jdbi().useHandle(h -> h.execute("UPDATE " + ledger.tables().legacyReadings()
        + " SET reading_kwh = 531.25 WHERE id = 6"));
    new LegacyDatabase(ledger.store().jdbi(), ledger.tables()).reading(8, "pieter", PIETER_METER,
        "2025-03-25T07:30:00Z", "570.0");

    LedgerParity.Result drifted = ledger.parity();

    assertThat(drifted.passed()).isFalse();
    assertThat(drifted.readings().different()).isEqualTo(1);
    assertThat(drifted.readings().differentExamples()).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo("6"));
    assertThat(drifted.readings().missing()).isEqualTo(1);
    assertThat(drifted.readings().missingExamples()).containsExactly("8");
    assertThat(drifted.purchases().passed()).isTrue();

    // The import brings the new row in; the changed one is reported, never duplicated.
    LegacyImport.Result rerun = ledger.importLegacy(ImportConfig.DEFAULT);
    assertThat(rerun.eventsWritten()).isEqualTo(1);
    assertThat(rerun.failedRows()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(FailedRow.Kind.CHANGED_SINCE_IMPORTED);
      assertThat(f.key()).isEqualTo("6");
    });
    LedgerParity.Result after = ledger.parity();
    assertThat(after.readings().missing()).isZero();
    assertThat(after.readings().different()).isEqualTo(1);
    assertThat(after.readings().aggregates()).allSatisfy(a -> assertThat(a.withinTolerance()).isTrue());
  }

  @Test
  void a_voided_reading_stays_in_the_history_and_the_totals_are_recomputed_without_it() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");
    thandi.recordReading(THANDI_METER, "r-0329", d("12124.0"), at("2025-03-29T18:00:00Z")).orThrow();
    ledger.awaitReadModel();
    assertTotals(totals(thandi), "300.0", "810.00", 5, "12124.0", "11124.0", "-10824.0");

    CommandResult<MeterEvent> voided = thandi.voidReading(THANDI_METER, "r-0329", "typo");
    ledger.awaitReadModel();

    assertThat(voided.accepted()).isTrue();
    assertTotals(totals(thandi), "300.0", "810.00", 4, "1160.0", "160.0", "140.0");
    LedgerLine line = line(thandi, THANDI_METER, "r-0329");
    assertThat(line.voided()).isTrue();
    assertThat(line.kwh()).isEqualByComparingTo("12124.0");
    assertThat(line.consumptionKwh()).isNull();
    assertThat(line.note()).isEqualTo("voided: typo");
    List<RecordedEvent> history = thandi.history(THANDI_METER);
    assertThat(history).hasSize(8);
    assertThat(ledger.store().types().decode(history.get(7))).isEqualTo(new ReadingVoided("thandi", "r-0329", "typo"));

    // The voided reading no longer blocks a lower one, and counts for nothing.
    thandi.recordReading(THANDI_METER, "r-0329b", d("1212.4"), at("2025-03-29T18:05:00Z")).orThrow();
    ledger.awaitReadModel();
    assertTotals(totals(thandi), "300.0", "810.00", 5, "1212.4", "212.4", "87.6");
    assertRunning(line(thandi, THANDI_METER, "r-0329b"), "52.4", "212.4", "300.0", "87.6");

    assertThat(thandi.voidReading(THANDI_METER, "r-0329", "again").rejection()).map(Rejection::code).contains("already-voided");
    assertThat(thandi.voidReading(THANDI_METER, "nope", "x").rejection()).map(Rejection::code).contains("unknown-reading");
    assertThat(thandi.history(THANDI_METER)).hasSize(9);
  }

  @Test
  void erasing_a_user_redacts_their_reasons_in_events_and_notes_and_leaves_the_numbers_and_other_users() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");
    UserLedger pieter = ledger.user("pieter");
    thandi.voidReading(THANDI_METER, "er-2", "read the neighbour's meter").orThrow();
    thandi.correctReading(THANDI_METER, "er-3", d("1101.3"), at("2025-03-15T18:00:00Z"), "misread").orThrow();
    pieter.recordReading(PIETER_METER, "p-1", d("99999"), at("2025-03-30T08:00:00Z")).orThrow();
    pieter.voidReading(PIETER_METER, "p-1", "my typo").orThrow();
    ledger.awaitReadModel();
    MeterTotals before = totals(thandi);
    List<LedgerLine> linesBefore = thandi.ledger(THANDI_METER);

    ErasureRecord record = ledger.eraseUser("thandi", "dpo:ticket-9");

    assertThat(record.requestedBy()).isEqualTo("dpo:ticket-9");
    List<RecordedEvent> history = thandi.history(THANDI_METER);
    assertThat(history.stream().map(e -> ledger.store().types().decode(e)).toList()).contains(
        new ReadingVoided("thandi", "er-2", null),
        new ReadingCorrected("thandi", "er-3", d("1101.3"), at("2025-03-15T18:00:00Z"), null));
    assertThat(line(thandi, THANDI_METER, "er-2").note()).isEqualTo("voided");
    assertThat(line(thandi, THANDI_METER, "er-3").note()).isEqualTo("corrected");
    assertThat(totals(thandi)).isEqualTo(before);
    assertThat(thandi.ledger(THANDI_METER)).map(LedgerLine::kwh).isEqualTo(linesBefore.stream().map(LedgerLine::kwh).toList());
    assertThat(line(pieter, PIETER_METER, "p-1").note()).as("another user is untouched").isEqualTo("voided: my typo");
    assertThat(ledger.store().types().decode(pieter.history(PIETER_METER).get(5)))
        .isEqualTo(new ReadingVoided("pieter", "p-1", "my typo"));
    // A new reason after the erasure gets a new key and reads normally.
    thandi.voidReading(THANDI_METER, "er-3", "meter replaced").orThrow();
    ledger.awaitReadModel();
    assertThat(line(thandi, THANDI_METER, "er-3").note()).isEqualTo("voided: meter replaced");
  }

  @Test
  void voiding_a_reading_in_the_middle_joins_the_consumption_of_its_neighbours() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");

    thandi.voidReading(THANDI_METER, "er-2", "read the neighbour's meter").orThrow();
    ledger.awaitReadModel();

    assertRunning(line(thandi, THANDI_METER, "er-3"), "101.3", "101.3", "200.0", "98.7");
    assertRunning(line(thandi, THANDI_METER, "er-4"), "58.7", "160.0", "300.0", "140.0");
    assertTotals(totals(thandi), "300.0", "810.00", 3, "1160.0", "160.0", "140.0");
    assertThat(thandi.recalculations(THANDI_METER)).last().satisfies(r -> {
      assertThat(r.cause()).isEqualTo("reading-voided");
      assertThat(r.from()).isEqualTo(at("2025-03-08T18:00:00Z"));
      assertThat(r.readingsRecomputed()).isEqualTo(3); // er-2, er-3, er-4: not er-1
    });
  }

  @Test
  void a_late_reading_splits_the_consumption_and_only_the_span_after_it_is_recomputed() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");

    thandi.recordReading(THANDI_METER, "r-0312", d("1080.0"), at("2025-03-12T18:00:00Z")).orThrow();
    ledger.awaitReadModel();

    assertRunning(line(thandi, THANDI_METER, "er-2"), "52.5", "52.5", "200.0", "147.5");
    assertRunning(line(thandi, THANDI_METER, "r-0312"), "27.5", "80.0", "200.0", "120.0");
    assertRunning(line(thandi, THANDI_METER, "er-3"), "21.3", "101.3", "200.0", "98.7");
    assertRunning(line(thandi, THANDI_METER, "er-4"), "58.7", "160.0", "300.0", "140.0");
    assertTotals(totals(thandi), "300.0", "810.00", 5, "1160.0", "160.0", "140.0");
    assertThat(thandi.recalculations(THANDI_METER)).last().satisfies(r -> {
      assertThat(r.cause()).isEqualTo("reading-recorded");
      assertThat(r.readingsRecomputed()).isEqualTo(3); // r-0312, er-3, er-4
    });
    assertThat(thandi.ledger(THANDI_METER)).extracting(LedgerLine::id)
        .containsExactly("tp-1", "er-1", "er-2", "r-0312", "er-3", "tp-2", "er-4");

    // A reading at the end recomputes itself only.
    thandi.recordReading(THANDI_METER, "r-0330", d("1220.0"), at("2025-03-30T18:00:00Z")).orThrow();
    ledger.awaitReadModel();
    assertThat(thandi.recalculations(THANDI_METER)).last().satisfies(r -> assertThat(r.readingsRecomputed()).isEqualTo(1));

    // The register never runs backwards: a late reading above a later one is refused, nothing written.
    CommandResult<MeterEvent> impossible = thandi.recordReading(THANDI_METER, "r-0313", d("1110.0"),
        at("2025-03-13T18:00:00Z"));
    assertThat(impossible.rejection()).map(Rejection::code).contains("reading-out-of-order");
    assertThat(thandi.history(THANDI_METER)).hasSize(8);
  }

  @Test
  void a_corrected_value_recomputes_the_following_readings_and_shows_in_the_parity_report() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");

    thandi.correctReading(THANDI_METER, "er-3", d("1111.3"), at("2025-03-15T18:00:00Z"), "misread a digit").orThrow();
    ledger.awaitReadModel();

    assertRunning(line(thandi, THANDI_METER, "er-3"), "58.8", "111.3", "200.0", "88.7");
    assertRunning(line(thandi, THANDI_METER, "er-4"), "48.7", "160.0", "300.0", "140.0");
    assertThat(line(thandi, THANDI_METER, "er-3").note()).isEqualTo("corrected: misread a digit");
    assertThat(thandi.recalculations(THANDI_METER)).last().satisfies(r -> assertThat(r.readingsRecomputed()).isEqualTo(2));

    // A correction that would make the register run backwards is refused; nothing is written.
    assertThat(thandi.correctReading(THANDI_METER, "er-4", d("1160.0"), at("2025-03-14T18:00:00Z"), "wrong day")
        .rejection()).map(Rejection::code).contains("reading-out-of-order");
    assertThat(thandi.history(THANDI_METER)).hasSize(7);

    // Moving a reading earlier in time, before a purchase, recomputes from its new time.
    thandi.correctReading(THANDI_METER, "er-4", d("1160.0"), at("2025-03-17T18:00:00Z"), "wrong day").orThrow();
    ledger.awaitReadModel();
    assertThat(thandi.ledger(THANDI_METER)).extracting(LedgerLine::id)
        .containsExactly("tp-1", "er-1", "er-2", "er-3", "er-4", "tp-2");
    assertRunning(line(thandi, THANDI_METER, "er-4"), "48.7", "160.0", "200.0", "40.0");
    assertThat(thandi.recalculations(THANDI_METER)).last().satisfies(r -> {
      assertThat(r.from()).isEqualTo(at("2025-03-17T18:00:00Z"));
      assertThat(r.readingsRecomputed()).isEqualTo(1);
    });
    assertTotals(totals(thandi), "300.0", "810.00", 4, "1160.0", "160.0", "140.0");

    LedgerParity.Result parity = ledger.parity();
    assertThat(parity.readings().different()).isEqualTo(1); // er-3's value: the read model knows better
    assertThat(parity.readings().differentExamples()).singleElement().satisfies(d -> assertThat(d.key()).isEqualTo("3"));
  }

  @Test
  void a_late_purchase_raises_the_balance_of_every_later_reading_and_a_retry_counts_once() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");

    thandi.buyTokens(THANDI_METER, "tok-0310", d("50.0"), d("135.00"), at("2025-03-10T09:00:00Z")).orThrow();
    CommandResult<MeterEvent> retry = thandi.buyTokens(THANDI_METER, "tok-0310", d("50.0"), d("135.00"),
        at("2025-03-10T09:00:00Z"));
    ledger.awaitReadModel();

    assertThat(retry.accepted()).isTrue();
    assertThat(thandi.history(THANDI_METER)).hasSize(7);
    assertRunning(line(thandi, THANDI_METER, "er-2"), "52.5", "52.5", "200.0", "147.5");
    assertRunning(line(thandi, THANDI_METER, "er-3"), "48.8", "101.3", "250.0", "148.7");
    assertRunning(line(thandi, THANDI_METER, "er-4"), "58.7", "160.0", "350.0", "190.0");
    assertTotals(totals(thandi), "350.0", "945.00", 4, "1160.0", "160.0", "190.0");
    assertThat(thandi.recalculations(THANDI_METER)).last().satisfies(r -> {
      assertThat(r.cause()).isEqualTo("tokens-purchased");
      assertThat(r.readingsRecomputed()).isEqualTo(2);
    });
  }

  @Test
  void decimals_stay_exact_from_command_to_event_json_to_read_model() {
    EnergyLedger ledger = ledger();
    UserLedger amara = ledger.user("amara");

    amara.buyTokens("m-9", "t-1", d("33.3"), d("100.10"), at("2025-04-01T08:00:00Z")).orThrow();
    amara.recordReading("m-9", "r-1", d("10.1"), at("2025-04-01T09:00:00Z")).orThrow();
    amara.recordReading("m-9", "r-2", d("10.2"), at("2025-04-02T09:00:00Z")).orThrow();
    amara.recordReading("m-9", "r-3", d("20.3"), at("2025-04-03T09:00:00Z")).orThrow();
    ledger.awaitReadModel();

    RecordedEvent purchase = amara.history("m-9").get(0);
    assertThat(purchase.payload().get("amount").toString()).isEqualTo("100.10");
    assertThat(((TokensPurchased) ledger.store().types().decode(purchase)).amount()).isEqualTo(d("100.10"));
    // In doubles 10.2 - 10.1 is 0.09999999999999964.
    assertThat(line(amara, "m-9", "r-2").consumptionKwh()).isEqualByComparingTo("0.1");
    assertRunning(line(amara, "m-9", "r-3"), "10.1", "10.2", "33.3", "23.1");
    assertTotals(totals(amara), "33.3", "100.10", 3, "20.3", "10.2", "23.1");
  }

  @Test
  void a_user_never_sees_another_users_meter_and_writing_to_its_number_touches_only_their_own() {
    EnergyLedger ledger = imported();
    UserLedger pieter = ledger.user("pieter");
    UserLedger thandi = ledger.user("thandi");

    assertThat(pieter.history(THANDI_METER)).as("Thandi's meter does not exist in Pieter's namespace").isEmpty();
    assertThat(pieter.voidReading(THANDI_METER, "er-1", "mine now").accepted()).isFalse();
    try (var events = ledger.store().forTenant("pieter").readAll(LogQuery.all())) {
      assertThat(events.toList()).hasSize(4).allSatisfy(e -> assertThat(e.streamId()).isEqualTo("meter-" + PIETER_METER));
    }
    assertThat(pieter.recordReading(THANDI_METER, "p-1", d("1300"), at("2025-03-30T08:00:00Z")).accepted()).isTrue();

    assertThat(ledger.store().forTenant("thandi").streamInfo("meter-" + THANDI_METER).orElseThrow().version()).isEqualTo(6);
    assertThat(pieter.history(THANDI_METER)).hasSize(1);
    ledger.awaitReadModel();
    assertThat(thandi.ledger(THANDI_METER)).hasSize(6);
    assertThat(thandi.ledger(PIETER_METER)).isEmpty();
  }

  @Test
  void the_incrementally_recomputed_read_model_equals_a_full_replay_of_the_log() {
    EnergyLedger ledger = imported();
    UserLedger thandi = ledger.user("thandi");
    UserLedger pieter = ledger.user("pieter");
    // Each change lands in the middle of the history, so that a span recomputation has an anchor.
    thandi.buyTokens(THANDI_METER, "tok-0305", d("25.5"), d("68.85"), at("2025-03-05T10:00:00Z")).orThrow();
    thandi.correctReading(THANDI_METER, "er-2", d("1050.5"), at("2025-03-07T18:00:00Z"), "misread").orThrow();
    thandi.recordReading(THANDI_METER, "r-0329", d("12124.0"), at("2025-03-29T18:00:00Z")).orThrow();
    thandi.voidReading(THANDI_METER, "r-0329", "typo").orThrow();
    thandi.recordReading(THANDI_METER, "r-0312", d("1080.0"), at("2025-03-12T18:00:00Z")).orThrow();
    pieter.voidReading(PIETER_METER, "er-5", "not my meter").orThrow();
    pieter.recordReading(PIETER_METER, "r-0315", d("550.0"), at("2025-03-15T07:30:00Z")).orThrow();
    ledger.awaitReadModel();

    // Version 2 of the projection builds its own tables from the whole log, recomputing every
    // reading of the meter on every event: it must agree with version 1's span recomputation.
    LedgerTables t = ledger.tables();
    LedgerTables replayTables = new LedgerTables(t.storePrefix(), t.legacyReadings(), t.legacyPurchases(),
        t.readModelPrefix() + "v2_");
    LedgerReadModel replay = new LedgerReadModel(replayTables).withFullRecompute();
    replay.createTables(ledger.store().jdbi());
    Projection v2 = LedgerProjection.of(replay, ledger.store().types()).withVersion(2);
    try (ProjectionRunner runner = ledger.projections().runner(RunnerConfig.DEFAULT, List.of(v2))) {
      runner.start();
      ledger.projections().awaitPosition(v2.id(), ledger.store().headPosition(), Duration.ofSeconds(30));
    }

    String readings = "SELECT meter_no || '/' || reading_id AS k, user_id, read_at, reading_kwh, voided, note, "
        + "consumption_kwh, consumed_to_date_kwh, bought_to_date_kwh, balance_kwh, legacy_id FROM ";
    ReadModelDiff readingsDiff = ReadModelDiff.compare(ledger.store().jdbi(), readings + t.readings(),
        readings + replayTables.readings(), "k");
    assertThat(readingsDiff.matches()).as(readingsDiff.summary()).isTrue();
    String meters = "SELECT meter_no, user_id, purchases, tokens_kwh, tokens_amount, readings, position_kwh, "
        + "consumed_kwh, balance_kwh FROM ";
    ReadModelDiff metersDiff = ReadModelDiff.compare(ledger.store().jdbi(), meters + t.meters(),
        meters + replayTables.meters(), "meter_no");
    assertThat(metersDiff.matches()).as(metersDiff.summary()).isTrue();
    assertThat(replay.recalculations(ledger.store().jdbi(), "thandi", THANDI_METER)).last()
        .satisfies(r -> assertThat(r.readingsRecomputed()).isEqualTo(6)); // every reading, the voided one too
    assertTotals(totals(thandi), "325.5", "878.85", 5, "1160.0", "160.0", "165.5");
    assertTotals(totals(pieter), "150.0", "405.00", 3, "561.0", "30.75", "119.25");
    assertRunning(line(pieter, PIETER_METER, "er-6"), null, "0", "150.0", "150.0");
    assertRunning(line(pieter, PIETER_METER, "r-0315"), "19.75", "19.75", "150.0", "130.25");
  }
}

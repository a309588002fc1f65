package dev.fabula.examples.energy;

import java.math.BigDecimal;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * The legacy application's tables, as the team's CRUD app kept them: one row per reading and one
 * per token purchase, with the user on every row. Used by the tour and the tests to stand in for the
 * real database; the ledger itself only reads these tables.
 */
public final class LegacyDatabase {
  private final Jdbi jdbi;
  private final LedgerTables tables;

  /** The legacy tables named in {@code tables}, in {@code jdbi}'s database. */
  public LegacyDatabase(Jdbi jdbi, LedgerTables tables) {
    this.jdbi = jdbi;
    this.tables = tables;
  }

  /** Creates both tables (portable SQL). */
  public LegacyDatabase create() {
    jdbi.useHandle(h -> {
      h.execute("CREATE TABLE " + tables.legacyReadings() + " (id BIGINT PRIMARY KEY, user_id VARCHAR(80) NOT NULL, "
          + "meter_no VARCHAR(40) NOT NULL, read_at VARCHAR(40) NOT NULL, reading_kwh NUMERIC(12,2) NOT NULL)");
      h.execute("CREATE TABLE " + tables.legacyPurchases() + " (id BIGINT PRIMARY KEY, user_id VARCHAR(80) NOT NULL, "
          + "meter_no VARCHAR(40) NOT NULL, purchased_at VARCHAR(40) NOT NULL, kwh NUMERIC(12,2) NOT NULL, "
          + "amount NUMERIC(12,2) NOT NULL)");
    });
    return this;
  }

  /** Inserts a reading row. */
  public LegacyDatabase reading(long id, String user, String meter, String readAt, String kwh) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO " + tables.legacyReadings()
            + " (id, user_id, meter_no, read_at, reading_kwh) VALUES (:id, :user, :meter, :at, :kwh)")
        .bind("id", id).bind("user", user).bind("meter", meter).bind("at", Instant.parse(readAt).toString())
        .bind("kwh", new BigDecimal(kwh)).execute());
    return this;
  }

  /** Inserts a token purchase row. */
  public LegacyDatabase purchase(long id, String user, String meter, String purchasedAt, String kwh, String amount) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO " + tables.legacyPurchases()
            + " (id, user_id, meter_no, purchased_at, kwh, amount) VALUES (:id, :user, :meter, :at, :kwh, :amount)")
        .bind("id", id).bind("user", user).bind("meter", meter).bind("at", Instant.parse(purchasedAt).toString())
        .bind("kwh", new BigDecimal(kwh)).bind("amount", new BigDecimal(amount)).execute());
    return this;
  }

  /** Thandi's meter number in the sample. */
  public static final String THANDI_METER = "04040404040";
  /** Pieter's meter number in the sample. */
  public static final String PIETER_METER = "07070707070";

  /**
   * The sample of the tour and the tests: two users, seven readings and three purchases in March
   * 2025.
   */
  public LegacyDatabase sample() {
    return reading(1, "thandi", THANDI_METER, "2025-03-01T18:00:00Z", "1000.0")
        .reading(2, "thandi", THANDI_METER, "2025-03-08T18:00:00Z", "1052.5")
        .reading(3, "thandi", THANDI_METER, "2025-03-15T18:00:00Z", "1101.3")
        .reading(4, "thandi", THANDI_METER, "2025-03-22T18:00:00Z", "1160.0")
        .reading(5, "pieter", PIETER_METER, "2025-03-01T07:30:00Z", "500.0")
        .reading(6, "pieter", PIETER_METER, "2025-03-10T07:30:00Z", "530.25")
        .reading(7, "pieter", PIETER_METER, "2025-03-20T07:30:00Z", "561.0")
        .purchase(1, "thandi", THANDI_METER, "2025-03-01T08:00:00Z", "200.0", "540.00")
        .purchase(2, "thandi", THANDI_METER, "2025-03-18T12:00:00Z", "100.0", "270.00")
        .purchase(3, "pieter", PIETER_METER, "2025-03-02T09:15:00Z", "150.0", "405.00");
  }
}

package dev.fabula.examples.energy;

import java.util.regex.Pattern;

/**
 * The names of every table the ledger uses in its database: the event store's prefix, the legacy
 * tables it imports, and its read model's prefix. Immutable.
 *
 * @param storePrefix the event store's table prefix ({@code fabula_})
 * @param legacyReadings the legacy readings table ({@code electricity_readings})
 * @param legacyPurchases the legacy token purchases table ({@code token_purchases})
 * @param readModelPrefix the read model's table prefix ({@code ledger_})
 */
public record LedgerTables(String storePrefix, String legacyReadings, String legacyPurchases, String readModelPrefix) {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,40}");

  /** The names the application uses. */
  public static final LedgerTables DEFAULT =
      new LedgerTables("fabula_", "electricity_readings", "token_purchases", "ledger_");

  /** Validates every name (they are put into SQL), quoting the bad one. */
  public LedgerTables {
    for (String name : new String[] {storePrefix, legacyReadings, legacyPurchases, readModelPrefix}) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("table name or prefix '" + name
            + "' is invalid; use lower-case letters, digits and '_', starting with a letter");
      }
    }
  }

  /** Every name of {@link #DEFAULT} behind {@code prefix}: several ledgers in one database (tests). */
  public static LedgerTables prefixed(String prefix) {
    return new LedgerTables(prefix + "es_", prefix + DEFAULT.legacyReadings, prefix + DEFAULT.legacyPurchases,
        prefix + DEFAULT.readModelPrefix);
  }

  /** The read model's readings table. */
  public String readings() {
    return readModelPrefix + "readings";
  }

  /** The read model's purchases table. */
  public String purchases() {
    return readModelPrefix + "purchases";
  }

  /** The read model's running totals per meter. */
  public String meters() {
    return readModelPrefix + "meters";
  }

  /** The read model's audit of recomputed spans. */
  public String recalculations() {
    return readModelPrefix + "recalculations";
  }
}

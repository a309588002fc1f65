package dev.fabula.examples.energy;

import dev.fabula.Erasure;
import dev.fabula.RecordedEvent;
import dev.fabula.spi.ErasureScope;
import dev.fabula.examples.energy.MeterEvent.ReadingCorrected;
import dev.fabula.examples.energy.MeterEvent.ReadingRecorded;
import dev.fabula.examples.energy.MeterEvent.ReadingVoided;
import dev.fabula.examples.energy.MeterEvent.TokensPurchased;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's SQL read model: purchases, readings with their running totals, totals per meter,
 * and an audit of every recomputation. Written only by the {@link LedgerProjection} (inside the
 * transaction that moves its checkpoint), read per user.
 *
 * <p><b>Running totals.</b> Readings are ordered by time (then id), whatever order they arrived
 * in. Each valid reading carries the consumption since the previous valid reading, the energy
 * consumed since the first valid reading, the tokens bought up to its time and the balance. An event
 * that changes the meter's history at time {@code t} (a reading, a late reading, a void, a
 * correction, a purchase) recomputes only the span from {@code t} on, starting from the last valid
 * reading before {@code t}, whose totals it does not change. Decimals are computed in Java with
 * {@link BigDecimal}, so the stored numbers are exact on both databases.
 *
 * <p>Every query takes the user: one user never sees another's rows. Thread-safe.
 */
public final class LedgerReadModel {
  private final LedgerTables t;
  private final boolean fullRecompute;

  /** The read model in the tables {@code tables} names, recomputing only the affected spans. */
  public LedgerReadModel(LedgerTables tables) {
    this(tables, false);
  }

  private LedgerReadModel(LedgerTables tables, boolean fullRecompute) {
    this.t = Objects.requireNonNull(tables, "tables");
    this.fullRecompute = fullRecompute;
  }

  /**
   * A copy that recomputes every reading of the meter on every event: slower, and obviously
   * right, to check the span recomputation against (a second projection version in the tests).
   */
  public LedgerReadModel withFullRecompute() {
    return new LedgerReadModel(t, true);
  }

  /** Creates the tables if they do not exist (portable SQL for PostgreSQL and SQLite). */
  public void createTables(Jdbi jdbi) {
    jdbi.useHandle(h -> {
      h.execute("CREATE TABLE IF NOT EXISTS " + t.purchases() + " ("
          + "meter_no VARCHAR(40) NOT NULL, purchase_id VARCHAR(80) NOT NULL, user_id VARCHAR(80) NOT NULL, "
          + "purchased_at_ms BIGINT NOT NULL, purchased_at VARCHAR(40) NOT NULL, kwh NUMERIC NOT NULL, "
          + "amount NUMERIC NOT NULL, legacy_id BIGINT, PRIMARY KEY (meter_no, purchase_id))");
      h.execute("CREATE TABLE IF NOT EXISTS " + t.readings() + " ("
          + "meter_no VARCHAR(40) NOT NULL, reading_id VARCHAR(80) NOT NULL, user_id VARCHAR(80) NOT NULL, "
          + "read_at_ms BIGINT NOT NULL, read_at VARCHAR(40) NOT NULL, reading_kwh NUMERIC NOT NULL, "
          + "voided INTEGER NOT NULL DEFAULT 0, corrected INTEGER NOT NULL DEFAULT 0, note VARCHAR(400), "
          + "consumption_kwh NUMERIC, consumed_to_date_kwh NUMERIC, bought_to_date_kwh NUMERIC, balance_kwh NUMERIC, "
          + "legacy_id BIGINT, PRIMARY KEY (meter_no, reading_id))");
      h.execute("CREATE INDEX IF NOT EXISTS " + t.readings() + "_by_time ON " + t.readings() + " (meter_no, read_at_ms)");
      h.execute("CREATE TABLE IF NOT EXISTS " + t.meters() + " ("
          + "meter_no VARCHAR(40) NOT NULL PRIMARY KEY, user_id VARCHAR(80) NOT NULL, purchases INTEGER NOT NULL, "
          + "tokens_kwh NUMERIC NOT NULL, tokens_amount NUMERIC NOT NULL, readings INTEGER NOT NULL, "
          + "position_kwh NUMERIC, consumed_kwh NUMERIC NOT NULL, balance_kwh NUMERIC NOT NULL)");
      h.execute("CREATE TABLE IF NOT EXISTS " + t.recalculations() + " ("
          + "event_position BIGINT NOT NULL PRIMARY KEY, user_id VARCHAR(80) NOT NULL, meter_no VARCHAR(40) NOT NULL, "
          + "cause VARCHAR(40) NOT NULL, from_time VARCHAR(40) NOT NULL, readings_recomputed INTEGER NOT NULL)");
    });
  }

  /** Empties every table (the projection's reset hook, before a rebuild). */
  public void clear(Handle h) {
    for (String table : List.of(t.purchases(), t.readings(), t.meters(), t.recalculations())) {
      h.execute("DELETE FROM " + table);
    }
  }

  /** A void's or correction's note: with the user's reason, or without once the user is erased. */
  private static String note(String what, @Nullable String reason) {
    return reason == null ? what : what + ": " + reason;
  }

  /**
   * Erases the read model's copies of an erased user or meter stream, in the erasure's transaction
   * ({@link LedgerProjection}): a user's notes lose their reasons (the readings stay: the events
   * do); a meter stream's rows are deleted. Only the erasing tenant's rows, that is the user's.
   */
  long erase(ErasureScope scope, Handle h) {
    String user = scope.tenantId();
    if (user == null) {
      return 0; // every meter event has a tenant, its owner: the unconfined store owns no rows here
    }
    if (scope.kind() == Erasure.Kind.SUBJECT) {
      long n = 0;
      for (String what : List.of("voided", "corrected")) {
        n += h.createUpdate("UPDATE " + t.readings() + " SET note = :what WHERE user_id = :user AND user_id = :subject "
                + "AND note LIKE :like")
            .bind("what", what).bind("user", user).bind("subject", scope.target()).bind("like", what + ":%").execute();
      }
      return n;
    }
    if (!scope.target().startsWith(Meter.CATEGORY + "-")) {
      return 0;
    }
    String meter = scope.target().substring(Meter.CATEGORY.length() + 1);
    long n = 0;
    for (String table : List.of(t.readings(), t.purchases(), t.meters(), t.recalculations())) {
      n += h.createUpdate("DELETE FROM " + table + " WHERE user_id = :user AND meter_no = :meter")
          .bind("user", user).bind("meter", meter).execute();
    }
    return n;
  }

  // ---- writing: one event at a time, in the projection's transaction ------------------------------

  /**
   * Applies one meter event of {@code userId}'s meter {@code meter} and recomputes the span it
   * affects.
   */
  void apply(Handle h, RecordedEvent recorded, String userId, String meter, MeterEvent event) {
    String legacy = recorded.metadata().entries().get(LegacyImport.LEGACY_ID);
    Long legacyId = legacy == null ? null : Long.valueOf(legacy);
    Instant from;
    if (event instanceof TokensPurchased p) {
      h.createUpdate("INSERT INTO " + t.purchases() + " (meter_no, purchase_id, user_id, purchased_at_ms, purchased_at, "
              + "kwh, amount, legacy_id) VALUES (:meter, :id, :user, :ms, :at, :kwh, :amount, :legacy)")
          .bind("meter", meter).bind("id", p.purchaseId()).bind("user", userId)
          .bind("ms", p.purchasedAt().toEpochMilli()).bind("at", p.purchasedAt().toString())
          .bind("kwh", p.kwh()).bind("amount", p.amount()).bind("legacy", legacyId)
          .execute();
      from = p.purchasedAt();
    } else if (event instanceof ReadingRecorded r) {
      h.createUpdate("INSERT INTO " + t.readings() + " (meter_no, reading_id, user_id, read_at_ms, read_at, reading_kwh, "
              + "note, legacy_id) VALUES (:meter, :id, :user, :ms, :at, :kwh, :note, :legacy)")
          .bind("meter", meter).bind("id", r.readingId()).bind("user", userId)
          .bind("ms", r.readAt().toEpochMilli()).bind("at", r.readAt().toString()).bind("kwh", r.registerKwh())
          .bind("note", legacyId == null ? "" : "imported").bind("legacy", legacyId)
          .execute();
      from = r.readAt();
    } else if (event instanceof ReadingVoided v) {
      Optional<Long> at = readAt(h, meter, v.readingId());
      if (at.isEmpty()) {
        return; // the meter refuses to void an unknown reading, so this cannot happen
      }
      h.createUpdate("UPDATE " + t.readings() + " SET voided = 1, note = :note WHERE meter_no = :meter AND reading_id = :id")
          .bind("note", note("voided", v.reason())).bind("meter", meter).bind("id", v.readingId()).execute();
      from = Instant.ofEpochMilli(at.get());
    } else if (event instanceof ReadingCorrected c) {
      Optional<Long> at = readAt(h, meter, c.readingId());
      if (at.isEmpty()) {
        return;
      }
      h.createUpdate("UPDATE " + t.readings() + " SET reading_kwh = :kwh, read_at_ms = :ms, read_at = :at, corrected = 1, "
              + "note = :note WHERE meter_no = :meter AND reading_id = :id")
          .bind("kwh", c.registerKwh()).bind("ms", c.readAt().toEpochMilli()).bind("at", c.readAt().toString())
          .bind("note", note("corrected", c.reason())).bind("meter", meter).bind("id", c.readingId()).execute();
      from = Instant.ofEpochMilli(Math.min(at.get(), c.readAt().toEpochMilli()));
    } else {
      throw new IllegalArgumentException("unknown meter event " + event);
    }
    int recomputed = recompute(h, meter, fullRecompute ? Long.MIN_VALUE : from.toEpochMilli());
    refreshTotals(h, userId, meter);
    h.createUpdate("INSERT INTO " + t.recalculations() + " (event_position, user_id, meter_no, cause, from_time, "
            + "readings_recomputed) VALUES (:position, :user, :meter, :cause, :from, :n)")
        .bind("position", recorded.position()).bind("user", userId).bind("meter", meter)
        .bind("cause", recorded.type()).bind("from", from.toString()).bind("n", recomputed)
        .execute();
  }

  private Optional<Long> readAt(Handle h, String meter, String readingId) {
    return h.createQuery("SELECT read_at_ms FROM " + t.readings() + " WHERE meter_no = :meter AND reading_id = :id")
        .bind("meter", meter).bind("id", readingId).mapTo(Long.class).findOne();
  }

  /** A reading's identity and value, for the recomputation. */
  private record SpanRow(String id, long atMs, BigDecimal kwh, boolean voided) {}

  /** A purchase's time and energy. */
  private record Bought(long atMs, BigDecimal kwh) {}

  /**
   * Recomputes the running totals of every reading of {@code meter} at or after {@code fromMs},
   * from the last valid reading before it; returns how many readings it recomputed.
   */
  private int recompute(Handle h, String meter, long fromMs) {
    List<Bought> purchases = h.createQuery("SELECT purchased_at_ms, kwh FROM " + t.purchases()
            + " WHERE meter_no = :meter ORDER BY purchased_at_ms, purchase_id")
        .bind("meter", meter).map((rs, ctx) -> new Bought(rs.getLong(1), rs.getBigDecimal(2))).list();
    // The anchor: the last valid reading before the span. Its totals stay as they are.
    Optional<BigDecimal[]> anchor = h.createQuery("SELECT reading_kwh, consumed_to_date_kwh FROM " + t.readings()
            + " WHERE meter_no = :meter AND voided = 0 AND read_at_ms < :from ORDER BY read_at_ms DESC, reading_id DESC LIMIT 1")
        .bind("meter", meter).bind("from", fromMs)
        .map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).findOne();
    List<SpanRow> span = h.createQuery("SELECT reading_id, read_at_ms, reading_kwh, voided FROM " + t.readings()
            + " WHERE meter_no = :meter AND read_at_ms >= :from ORDER BY read_at_ms, reading_id")
        .bind("meter", meter).bind("from", fromMs)
        .map((rs, ctx) -> new SpanRow(rs.getString(1), rs.getLong(2), rs.getBigDecimal(3), rs.getInt(4) == 1)).list();

    @Nullable BigDecimal previous = anchor.map(a -> a[0]).orElse(null);
    BigDecimal consumedToDate = anchor.map(a -> a[1]).orElse(BigDecimal.ZERO);
    var update = h.prepareBatch("UPDATE " + t.readings() + " SET consumption_kwh = :consumption, "
        + "consumed_to_date_kwh = :consumed, bought_to_date_kwh = :bought, balance_kwh = :balance "
        + "WHERE meter_no = :meter AND reading_id = :id");
    for (SpanRow row : span) {
      BigDecimal consumption = null;
      BigDecimal consumed = null;
      BigDecimal bought = null;
      BigDecimal balance = null;
      if (!row.voided()) {
        consumption = previous == null ? null : row.kwh().subtract(previous);
        consumedToDate = consumption == null ? consumedToDate : consumedToDate.add(consumption);
        consumed = consumedToDate;
        bought = boughtUpTo(purchases, row.atMs());
        balance = bought.subtract(consumed);
        previous = row.kwh();
      }
      update.bindByType("consumption", consumption, BigDecimal.class).bindByType("consumed", consumed, BigDecimal.class)
          .bindByType("bought", bought, BigDecimal.class).bindByType("balance", balance, BigDecimal.class)
          .bind("meter", meter).bind("id", row.id()).add();
    }
    if (!span.isEmpty()) {
      update.execute();
    }
    return span.size();
  }

  private static BigDecimal boughtUpTo(List<Bought> purchases, long atMs) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Bought b : purchases) {
      if (b.atMs() <= atMs) {
        sum = sum.add(b.kwh());
      }
    }
    return sum;
  }

  private void refreshTotals(Handle h, String userId, String meter) {
    List<BigDecimal[]> bought = h.createQuery("SELECT kwh, amount FROM " + t.purchases() + " WHERE meter_no = :meter")
        .bind("meter", meter).map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).list();
    BigDecimal kwh = bought.stream().map(b -> b[0]).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal amount = bought.stream().map(b -> b[1]).reduce(BigDecimal.ZERO, BigDecimal::add);
    int readings = h.createQuery("SELECT COUNT(*) FROM " + t.readings() + " WHERE meter_no = :meter AND voided = 0")
        .bind("meter", meter).mapTo(Integer.class).one();
    Optional<BigDecimal[]> latest = h.createQuery("SELECT reading_kwh, consumed_to_date_kwh FROM " + t.readings()
            + " WHERE meter_no = :meter AND voided = 0 ORDER BY read_at_ms DESC, reading_id DESC LIMIT 1")
        .bind("meter", meter).map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).findOne();
    BigDecimal consumed = latest.map(l -> l[1]).orElse(BigDecimal.ZERO);
    h.createUpdate("INSERT INTO " + t.meters() + " (meter_no, user_id, purchases, tokens_kwh, tokens_amount, readings, "
            + "position_kwh, consumed_kwh, balance_kwh) VALUES (:meter, :user, :purchases, :kwh, :amount, :readings, "
            + ":position, :consumed, :balance) ON CONFLICT (meter_no) DO UPDATE SET purchases = excluded.purchases, "
            + "tokens_kwh = excluded.tokens_kwh, tokens_amount = excluded.tokens_amount, readings = excluded.readings, "
            + "position_kwh = excluded.position_kwh, consumed_kwh = excluded.consumed_kwh, balance_kwh = excluded.balance_kwh")
        .bind("meter", meter).bind("user", userId).bind("purchases", bought.size()).bind("kwh", kwh).bind("amount", amount)
        .bind("readings", readings).bindByType("position", latest.map(l -> l[0]).orElse(null), BigDecimal.class)
        .bind("consumed", consumed).bind("balance", kwh.subtract(consumed))
        .execute();
  }

  // ---- reading: always for one user ----------------------------------------------------------------

  /** The totals of every meter of {@code userId}, by meter number. */
  public List<MeterTotals> meters(Jdbi jdbi, String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT user_id, meter_no, purchases, tokens_kwh, tokens_amount, readings, "
            + "position_kwh, consumed_kwh, balance_kwh FROM " + t.meters() + " WHERE user_id = :user ORDER BY meter_no")
        .bind("user", userId)
        .map((rs, ctx) -> new MeterTotals(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBigDecimal(4),
            rs.getBigDecimal(5), rs.getInt(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9)))
        .list());
  }

  /** The ledger of {@code userId}'s meter {@code meter}, oldest first; empty if the meter is not theirs. */
  public List<LedgerLine> ledger(Jdbi jdbi, String userId, String meter) {
    return jdbi.withHandle(h -> {
      List<LedgerLine> lines = new ArrayList<>(h.createQuery("SELECT purchased_at, purchase_id, kwh, amount, legacy_id FROM "
              + t.purchases() + " WHERE user_id = :user AND meter_no = :meter")
          .bind("user", userId).bind("meter", meter)
          .map((rs, ctx) -> new LedgerLine(Instant.parse(rs.getString(1)), LedgerLine.Kind.PURCHASE, rs.getString(2),
              rs.getBigDecimal(3), rs.getBigDecimal(4), null, null, null, null, false,
              rs.getObject(5) == null ? "" : "imported"))
          .list());
      lines.addAll(h.createQuery("SELECT read_at, reading_id, reading_kwh, consumption_kwh, bought_to_date_kwh, "
              + "consumed_to_date_kwh, balance_kwh, voided, note FROM " + t.readings()
              + " WHERE user_id = :user AND meter_no = :meter")
          .bind("user", userId).bind("meter", meter)
          .map((rs, ctx) -> new LedgerLine(Instant.parse(rs.getString(1)), LedgerLine.Kind.READING, rs.getString(2),
              rs.getBigDecimal(3), null, rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getBigDecimal(6),
              rs.getBigDecimal(7), rs.getInt(8) == 1, Objects.requireNonNullElse(rs.getString(9), "")))
          .list());
      lines.sort(Comparator.comparing(LedgerLine::at).thenComparing(LedgerLine::kind).thenComparing(LedgerLine::id));
      return lines;
    });
  }

  /**
   * How many readings each recomputation of {@code userId}'s meter {@code meter} touched, oldest
   * first: the audit that shows only the affected span is recomputed.
   */
  public List<Recalculation> recalculations(Jdbi jdbi, String userId, String meter) {
    return jdbi.withHandle(h -> h.createQuery("SELECT event_position, cause, from_time, readings_recomputed FROM "
            + t.recalculations() + " WHERE user_id = :user AND meter_no = :meter ORDER BY event_position")
        .bind("user", userId).bind("meter", meter)
        .map((rs, ctx) -> new Recalculation(rs.getLong(1), rs.getString(2), Instant.parse(rs.getString(3)), rs.getInt(4)))
        .list());
  }

  /**
   * One recomputation of a meter's running totals.
   *
   * @param eventPosition the global position of the event that caused it
   * @param cause the event's type
   * @param from the start of the recomputed span
   * @param readingsRecomputed how many readings it recomputed
   */
  public record Recalculation(long eventPosition, String cause, Instant from, int readingsRecomputed) {}
}

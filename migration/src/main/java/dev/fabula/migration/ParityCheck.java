package dev.fabula.migration;

import dev.fabula.jdbc.spi.ReadOnly;
import dev.fabula.migration.internal.Identifiers;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Compares a legacy table (or any query) with a read model: row by row by key (missing, extra and
 * different rows, with examples) and by aggregates (the row count and sums of numeric columns)
 * within a relative tolerance.
 *
 * <pre>{@code
 * ParityReport report = ParityCheck.of(store.jdbi(), ParityConfig.DEFAULT
 *         .withKeyColumns("id").withSumColumns("wh").withTolerance(0.001))
 *     .compare("SELECT id, meter, wh FROM electricity_readings", "SELECT id, meter, wh FROM reading_view");
 * assertThat(report.passed()).as(report.describe()).isTrue();
 * }</pre>
 *
 * <p>Values compare as numbers when both are numbers ({@code 5}, {@code 5.0} and {@code 5.00} are
 * equal), otherwise by their text; null equals only null. Both results are held in memory by key:
 * fine for millions of narrow rows, not for billions (a streaming merge is left out on purpose).
 * Only reads: both queries run in a read-only transaction (see {@link ReadOnly}), so a query that
 * would write fails with a {@link MigrationException} and changes nothing. Thread-safe.
 */
public final class ParityCheck {
  private final Jdbi legacy;
  private final Jdbi readModel;
  private final ParityConfig config;

  private ParityCheck(Jdbi legacy, Jdbi readModel, ParityConfig config) {
    this.legacy = Objects.requireNonNull(legacy, "legacy");
    this.readModel = Objects.requireNonNull(readModel, "readModel");
    this.config = Objects.requireNonNull(config, "config");
  }

  /** A check with both queries on one database. */
  public static ParityCheck of(Jdbi database, ParityConfig config) {
    return new ParityCheck(database, database, config);
  }

  /** A check with the legacy query on one database and the read model's on another. */
  public static ParityCheck between(Jdbi legacy, Jdbi readModel, ParityConfig config) {
    return new ParityCheck(legacy, readModel, config);
  }

  /** Runs both queries and compares them. */
  public ParityReport compare(String legacyQuery, String readModelQuery) {
    return compare(legacyQuery, readModelQuery, Map.of());
  }

  /**
   * Runs both queries, each with the same named {@code parameters} bound ({@code :tenant_id}), and
   * compares them.
   */
  public ParityReport compare(String legacyQuery, String readModelQuery, Map<String, ?> parameters) {
    Objects.requireNonNull(parameters, "parameters");
    List<Map<String, Object>> left = load(legacy, legacyQuery, parameters, "legacy");
    List<Map<String, Object>> right = load(readModel, readModelQuery, parameters, "read model");
    List<ParityReport.Aggregate> aggregates = new ArrayList<>();
    aggregates.add(aggregate("count", BigDecimal.valueOf(left.size()), BigDecimal.valueOf(right.size())));
    for (String column : config.sumColumns()) {
      aggregates.add(aggregate("sum(" + column + ")", sum(left, column, "legacy"), sum(right, column, "read model")));
    }
    if (config.keyColumns().isEmpty()) {
      return new ParityReport(left.size(), right.size(), 0, 0, 0, List.of(), List.of(), List.of(), aggregates, false);
    }
    Map<String, Map<String, Object>> byKeyLeft = byKey(left, "legacy");
    Map<String, Map<String, Object>> byKeyRight = byKey(right, "read model");
    long missing = 0;
    long extra = 0;
    long different = 0;
    List<String> missingExamples = new ArrayList<>();
    List<String> extraExamples = new ArrayList<>();
    List<ParityReport.Difference> differentExamples = new ArrayList<>();
    for (var entry : byKeyLeft.entrySet()) {
      Map<String, Object> other = byKeyRight.get(entry.getKey());
      if (other == null) {
        missing++;
        addExample(missingExamples, entry.getKey());
        continue;
      }
      Map<String, List<@Nullable Object>> diff = diff(entry.getValue(), other);
      if (!diff.isEmpty()) {
        different++;
        if (differentExamples.size() < config.maxExamples()) {
          differentExamples.add(new ParityReport.Difference(entry.getKey(), diff));
        }
      }
    }
    for (String key : byKeyRight.keySet()) {
      if (!byKeyLeft.containsKey(key)) {
        extra++;
        addExample(extraExamples, key);
      }
    }
    return new ParityReport(left.size(), right.size(), missing, extra, different, missingExamples, extraExamples,
        differentExamples, aggregates, true);
  }

  private void addExample(List<String> examples, String key) {
    if (examples.size() < config.maxExamples()) {
      examples.add(key);
    }
  }

  private static List<Map<String, Object>> load(Jdbi db, String query, Map<String, ?> parameters, String side) {
    try {
      return ReadOnly.run(db, h -> h.createQuery(query).bindMap(parameters).mapToMap().list());
    } catch (RuntimeException e) {
      if (ReadOnly.refusedWrite(e)) {
        throw new MigrationException("the " + side + " query of the parity check tries to write, and the check only "
            + "reads (in a read-only transaction, so nothing was changed); give it a SELECT (query: " + query + ")", e);
      }
      throw new MigrationException("the " + side + " query of the parity check failed: " + e.getMessage()
          + " (query: " + query + ")", e);
    }
  }

  private Map<String, Map<String, Object>> byKey(List<Map<String, Object>> rows, String side) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>(rows.size() * 2);
    for (Map<String, Object> row : rows) {
      StringBuilder key = new StringBuilder();
      for (String column : config.keyColumns()) {
        if (!row.containsKey(column)) {
          throw new MigrationException("the " + side + " query has no key column '" + column + "' (columns: " + row.keySet() + ")");
        }
        key.append(key.length() == 0 ? "" : "|").append(normal(row.get(column)));
      }
      if (out.put(key.toString(), row) != null) {
        throw new MigrationException("the " + side + " query returns key " + key + " twice; the key columns "
            + config.keyColumns() + " must identify one row");
      }
    }
    return out;
  }

  private Map<String, List<@Nullable Object>> diff(Map<String, Object> left, Map<String, Object> right) {
    Iterable<String> columns;
    if (config.compareColumns().isEmpty()) {
      TreeSet<String> common = new TreeSet<>(left.keySet());
      common.retainAll(right.keySet());
      columns = common;
    } else {
      columns = config.compareColumns();
    }
    Map<String, List<@Nullable Object>> out = new HashMap<>();
    for (String column : columns) {
      Object a = left.get(column);
      Object b = right.get(column);
      if (!Objects.equals(normal(a), normal(b))) {
        out.put(column, Arrays.asList(a, b));
      }
    }
    return out;
  }

  /** The comparable form of a value: numbers as plain decimals without trailing zeros, else text. */
  private static @Nullable String normal(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return decimal(n).stripTrailingZeros().toPlainString();
    }
    return value.toString();
  }

  private static BigDecimal decimal(Number n) {
    return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
  }

  private static BigDecimal sum(List<Map<String, Object>> rows, String column, String side) {
    BigDecimal total = BigDecimal.ZERO;
    for (Map<String, Object> row : rows) {
      Object v = row.get(column);
      if (v == null) {
        if (!row.containsKey(column)) {
          throw new MigrationException("the " + side + " query has no column '" + Identifiers.column(column)
              + "' to sum (columns: " + row.keySet() + ")");
        }
        continue;
      }
      if (!(v instanceof Number n)) {
        throw new MigrationException("column '" + column + "' of the " + side + " query is not numeric (got '" + v + "')");
      }
      total = total.add(decimal(n));
    }
    return total;
  }

  private ParityReport.Aggregate aggregate(String name, BigDecimal left, BigDecimal right) {
    BigDecimal scale = left.abs().max(right.abs());
    double relative = scale.signum() == 0 ? 0 : left.subtract(right).abs().divide(scale, MathContext.DECIMAL64).doubleValue();
    return new ParityReport.Aggregate(name, left, right, relative, relative <= config.tolerance());
  }
}

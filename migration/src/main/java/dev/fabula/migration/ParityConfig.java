package dev.fabula.migration;

import dev.fabula.migration.internal.Identifiers;
import java.util.List;

/**
 * What a parity check compares. Immutable; start from {@link #DEFAULT}.
 *
 * @param keyColumns the columns that identify a row in both queries; empty to compare aggregates only
 * @param compareColumns the columns compared row by row; empty for every column both queries have
 * @param sumColumns numeric columns whose sums must agree within the tolerance
 * @param tolerance the largest relative difference allowed for counts and sums (0.001 is ±0.1%)
 * @param maxExamples how many examples of each kind of difference the report keeps
 */
public record ParityConfig(List<String> keyColumns, List<String> compareColumns, List<String> sumColumns,
    double tolerance, int maxExamples) {

  /** Aggregates only (row counts), exact, 10 examples. */
  public static final ParityConfig DEFAULT = new ParityConfig(List.of(), List.of(), List.of(), 0, 10);

  /** Validates and copies. */
  public ParityConfig {
    keyColumns = List.copyOf(keyColumns).stream().map(c -> Identifiers.column(c).toLowerCase(java.util.Locale.ROOT)).toList();
    compareColumns = List.copyOf(compareColumns).stream().map(c -> Identifiers.column(c).toLowerCase(java.util.Locale.ROOT)).toList();
    sumColumns = List.copyOf(sumColumns).stream().map(c -> Identifiers.column(c).toLowerCase(java.util.Locale.ROOT)).toList();
    if (!(tolerance >= 0) || tolerance >= 1) {
      throw new IllegalArgumentException("tolerance must be a relative difference from 0 (exact) below 1, got " + tolerance);
    }
    if (maxExamples < 0) {
      throw new IllegalArgumentException("maxExamples must not be negative, got " + maxExamples);
    }
  }

  /** Returns a copy comparing rows by these key columns. */
  public ParityConfig withKeyColumns(String... value) {
    return new ParityConfig(List.of(value), compareColumns, sumColumns, tolerance, maxExamples);
  }

  /** Returns a copy comparing only these columns row by row. */
  public ParityConfig withCompareColumns(String... value) {
    return new ParityConfig(keyColumns, List.of(value), sumColumns, tolerance, maxExamples);
  }

  /** Returns a copy comparing the sums of these numeric columns. */
  public ParityConfig withSumColumns(String... value) {
    return new ParityConfig(keyColumns, compareColumns, List.of(value), tolerance, maxExamples);
  }

  /** Returns a copy with another relative tolerance for counts and sums. */
  public ParityConfig withTolerance(double value) {
    return new ParityConfig(keyColumns, compareColumns, sumColumns, value, maxExamples);
  }

  /** Returns a copy keeping up to {@code value} examples of each difference. */
  public ParityConfig withMaxExamples(int value) {
    return new ParityConfig(keyColumns, compareColumns, sumColumns, tolerance, value);
  }
}

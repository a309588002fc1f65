package dev.fabula.examples.benchmarks;

/**
 * One measured figure.
 *
 * @param name a stable dotted name, such as {@code pg.append.batch100.events_per_s}
 * @param value the figure
 * @param unit its unit, such as {@code events/s}
 * @param raw the raw-JDBC limit measured in the same run for the same work on a table like ours, or
 *     NaN if none
 * @param simpleRaw the simple raw limit measured in the same run (the simplest correct events table,
 *     see {@code FoundationWorkload}), or NaN if none
 */
public record Result(String name, double value, String unit, double raw, double simpleRaw) {

  /** A figure without a raw limit. */
  public static Result of(String name, double value, String unit) {
    return new Result(name, value, unit, Double.NaN, Double.NaN);
  }

  /** A figure and its raw-JDBC limit. */
  public static Result vsRaw(String name, double value, double raw, String unit) {
    return new Result(name, value, unit, raw, Double.NaN);
  }

  /** A figure, its raw-JDBC limit on a table like ours, and the simple raw limit. */
  public static Result vsRaws(String name, double value, double raw, double simpleRaw, String unit) {
    return new Result(name, value, unit, raw, simpleRaw);
  }

  /** Whether a raw limit was measured. */
  public boolean hasRaw() {
    return !Double.isNaN(raw);
  }

  /** Whether the simple raw limit was measured. */
  public boolean hasSimpleRaw() {
    return !Double.isNaN(simpleRaw);
  }

  /** value / raw. For latencies and sizes (lower is better) read it as a cost factor. */
  public double ratio() {
    return value / raw;
  }

  /** value / simple raw. */
  public double simpleRatio() {
    return value / simpleRaw;
  }
}

package dev.fabula.examples.benchmarks;

/**
 * One measured figure.
 *
 * @param name a stable dotted name, such as {@code pg.append.batch100.events_per_s}
 * @param value the figure
 * @param unit its unit, such as {@code events/s}
 * @param raw the raw-JDBC limit measured in the same run for the same work, or NaN if none
 */
public record Result(String name, double value, String unit, double raw) {

  /** A figure without a raw limit. */
  public static Result of(String name, double value, String unit) {
    return new Result(name, value, unit, Double.NaN);
  }

  /** A figure and its raw-JDBC limit. */
  public static Result vsRaw(String name, double value, double raw, String unit) {
    return new Result(name, value, unit, raw);
  }

  /** Whether a raw limit was measured. */
  public boolean hasRaw() {
    return !Double.isNaN(raw);
  }

  /** value / raw. For latencies and sizes (lower is better) read it as a cost factor. */
  public double ratio() {
    return value / raw;
  }
}

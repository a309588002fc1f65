package dev.fabula.examples.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An A/B comparison in one run: a plain mode and one or more instrumented modes of the same
 * work, measured in interleaved rounds. Each round runs every mode once, in an order that rotates
 * from round to round (so no mode always runs first, or right after another), after warm-up
 * rounds of each mode that are not measured (JIT, pool, caches; one unless the caller asks for
 * more). The JIT compilation time spent during each mode's measured rounds is printed with the
 * rounds: a mode whose code is still being compiled pays for it in CPU and, on a machine with few
 * cores, in rate. A mode's rate is the median of its
 * rounds; its overhead against the plain mode is taken round by round (one minus the ratio of the
 * two rates measured side by side, then the median over the rounds), which cancels the drift of a
 * busy machine better than comparing the two medians. The spread of those per-round figures (half
 * their interquartile range) is reported too: an overhead smaller than its spread is not resolved
 * by the run. Each round also measures this process's CPU time per operation ({@link Sample}),
 * compared the same way: on a machine shared with other work the CPU a piece of work costs moves
 * far less than how fast it gets done, so it resolves smaller overheads.
 *
 * <p>Used by {@link MetricsOverheadWorkload} and {@link TracingOverheadWorkload} (appends) and
 * {@link ClaimOverheadWorkload} (the scheduler's claim path). Not thread-safe; one run at a time.
 */
final class AbRounds {
  private AbRounds() {}

  /** One round of one mode: does the work and returns what it measured. */
  @FunctionalInterface
  interface Round {
    /**
     * Runs round {@code round} (negative for the warm-ups: -1, -2, ...).
     *
     * @throws Exception if the work failed: the comparison fails with it
     */
    Sample run(int round) throws Exception;
  }

  /** Work that {@link #time} measures. */
  @FunctionalInterface
  interface Work {
    /** Does it. */
    void run() throws Exception;
  }

  /**
   * What one round measured.
   *
   * @param rate operations per second (higher is better)
   * @param cpuNanosPerOp CPU time this process spent per operation, on all its threads (the
   *     database's too when it runs in the process, as SQLite does; a PostgreSQL server's not):
   *     on a machine shared with other work it moves far less than the rate
   */
  record Sample(double rate, double cpuNanosPerOp) {}

  /** Runs {@code work}, {@code ops} operations, and measures its rate and this process's CPU time per operation. */
  static Sample time(long ops, Work work) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    work.run();
    long wall = System.nanoTime() - start;
    return new Sample(ops / (wall / 1e9), (os.getProcessCpuTime() - cpu) / (double) ops);
  }

  /**
   * A mode of the comparison.
   *
   * @param name the mode's name in result names ({@code without}, {@code metrics}, ...)
   * @param round its round
   */
  record Mode(String name, Round round) {}

  /**
   * What the rounds measured.
   *
   * @param plain the plain mode's name
   * @param rates each mode's rate per round, by name, in the order given
   * @param cpu each mode's CPU time per operation per round, by name
   */
  record Comparison(String plain, Map<String, double[]> rates, Map<String, double[]> cpu) {
    /** Prints each mode's rate round by round, so a reader sees the noise the medians hide. */
    void print() {
      print(Map.of());
    }

    /** {@link #print()}, with the JIT compilation time (ms) of each mode's measured rounds when known. */
    void print(Map<String, Long> jitMillis) {
      rates.forEach((mode, r) -> {
        StringBuilder line = new StringBuilder("   A/B rounds, ").append(mode).append(", rate / CPU µs per op:");
        for (int i = 0; i < r.length; i++) {
          line.append(String.format(java.util.Locale.ROOT, " %.1f/%.0f", r[i], cpu.get(mode)[i] / 1000));
        }
        if (jitMillis.containsKey(mode)) {
          line.append("; JIT compiling during its rounds: ").append(jitMillis.get(mode)).append(" ms");
        }
        System.out.println(line);
      });
    }

    /** The median rate of {@code mode}. */
    double median(String mode) {
      return AbRounds.median(rates.get(mode));
    }

    /** The median CPU time per operation of {@code mode}, in ns. */
    double medianCpu(String mode) {
      return AbRounds.median(cpu.get(mode));
    }

    /** The per-round overheads of {@code mode} against the plain mode in rate, in percent. */
    double[] overheads(String mode) {
      double[] base = rates.get(plain);
      double[] with = rates.get(mode);
      double[] out = new double[base.length];
      for (int r = 0; r < base.length; r++) {
        out[r] = (1 - with[r] / base[r]) * 100;
      }
      return out;
    }

    /** The per-round overheads of {@code mode} against the plain mode in CPU time per operation, in percent. */
    double[] cpuOverheads(String mode) {
      double[] base = cpu.get(plain);
      double[] with = cpu.get(mode);
      double[] out = new double[base.length];
      for (int r = 0; r < base.length; r++) {
        out[r] = (with[r] / base[r] - 1) * 100;
      }
      return out;
    }

    /** The median of the per-round overheads of {@code mode} in rate, in percent (negative: faster). */
    double overheadPct(String mode) {
      return AbRounds.median(overheads(mode));
    }

    /** Half the interquartile range of the per-round overheads of {@code mode} in rate, in percent. */
    double spreadPct(String mode) {
      return halfIqr(overheads(mode));
    }

    /**
     * The result lines: {@code <rateName(mode)>} and its CPU time per operation ({@code
     * .cpu_us_per_op}) for every mode, and for every instrumented mode {@code
     * <overheadName(mode)>.overhead_pct} and {@code .overhead_spread_pct} (in rate), {@code
     * .cpu_overhead_pct} and {@code .cpu_overhead_spread_pct} (in CPU time per operation).
     *
     * @param rateName the rate's name for a mode, such as {@code pg.metrics.append_t1.with.appends_per_s}
     * @param overheadName the prefix of a mode's overhead figures, such as {@code pg.metrics.append_t1}
     * @param unit the rate's unit
     */
    List<Result> results(java.util.function.Function<String, String> rateName,
                         java.util.function.Function<String, String> overheadName, String unit) {
      List<Result> out = new ArrayList<>();
      for (String mode : rates.keySet()) {
        out.add(Result.of(rateName.apply(mode), median(mode), unit));
        out.add(Result.of(rateName.apply(mode) + ".cpu_us_per_op", medianCpu(mode) / 1000, "us"));
      }
      for (String mode : rates.keySet()) {
        if (!mode.equals(plain)) {
          out.add(Result.of(overheadName.apply(mode) + ".overhead_pct", overheadPct(mode), "%"));
          out.add(Result.of(overheadName.apply(mode) + ".overhead_spread_pct", spreadPct(mode), "%"));
          out.add(Result.of(overheadName.apply(mode) + ".cpu_overhead_pct", AbRounds.median(cpuOverheads(mode)), "%"));
          out.add(Result.of(overheadName.apply(mode) + ".cpu_overhead_spread_pct", halfIqr(cpuOverheads(mode)), "%"));
        }
      }
      return out;
    }
  }

  /**
   * Runs one warm-up round of each mode, then {@code rounds} interleaved rounds.
   *
   * @param rounds measured rounds per mode (at least 1)
   * @param modes the plain mode first, then the instrumented ones
   * @throws Exception what a round threw
   */
  static Comparison run(int rounds, List<Mode> modes) throws Exception {
    return run(1, rounds, modes);
  }

  /**
   * Runs {@code warmups} warm-up rounds of each mode (each mode's first, then each mode's second,
   * ...), then {@code rounds} interleaved rounds.
   *
   * @param warmups warm-up rounds per mode (at least 1)
   * @param rounds measured rounds per mode (at least 1)
   * @param modes the plain mode first, then the instrumented ones
   * @throws Exception what a round threw
   */
  static Comparison run(int warmups, int rounds, List<Mode> modes) throws Exception {
    if (warmups < 1 || rounds < 1 || modes.size() < 2) {
      throw new IllegalArgumentException("an A/B comparison needs at least one warm-up, one round and two modes, got "
          + warmups + " warm-ups, " + rounds + " rounds and " + modes.size() + " modes");
    }
    for (int w = 1; w <= warmups; w++) {
      for (Mode m : modes) {
        m.round().run(-w);
      }
    }
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
    Map<String, Long> jitMillis = new LinkedHashMap<>();
    Map<String, double[]> rates = new LinkedHashMap<>();
    Map<String, double[]> cpu = new LinkedHashMap<>();
    modes.forEach(m -> rates.put(m.name(), new double[rounds]));
    modes.forEach(m -> cpu.put(m.name(), new double[rounds]));
    int k = modes.size();
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < k; i++) {
        // rotate the order, and reverse it every other cycle, so each mode runs in each slot and after each other mode
        int slot = (r / k) % 2 == 0 ? (r + i) % k : (r + k - i) % k;
        Mode m = modes.get(slot);
        long jit0 = jitTimed ? jit.getTotalCompilationTime() : 0;
        Sample sample = m.round().run(r);
        if (jitTimed) {
          jitMillis.merge(m.name(), jit.getTotalCompilationTime() - jit0, Long::sum);
        }
        rates.get(m.name())[r] = sample.rate();
        cpu.get(m.name())[r] = sample.cpuNanosPerOp();
      }
    }
    Comparison c = new Comparison(modes.get(0).name(), rates, cpu);
    c.print(jitMillis);
    return c;
  }

  /** Half the interquartile range of {@code values}. */
  static double halfIqr(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return (quantile(sorted, 0.75) - quantile(sorted, 0.25)) / 2;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return quantile(sorted, 0.5);
  }

  /** Linear interpolation between the closest ranks of {@code sorted}. */
  private static double quantile(double[] sorted, double q) {
    double at = q * (sorted.length - 1);
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
  }
}

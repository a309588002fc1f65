package dev.fabula.migration;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The result of a {@link ParityCheck}: row differences by key (with examples) and aggregates.
 *
 * @param legacyRows rows the legacy query returned
 * @param readModelRows rows the read-model query returned
 * @param missing how many legacy keys the read model lacks
 * @param extra how many read-model keys the legacy table lacks
 * @param different how many keys are in both with different values
 * @param missingExamples up to {@code maxExamples} missing keys
 * @param extraExamples up to {@code maxExamples} extra keys
 * @param differentExamples up to {@code maxExamples} differing rows
 * @param aggregates the count and each sum, compared within the tolerance
 * @param keyed whether rows were compared by key
 */
public record ParityReport(long legacyRows, long readModelRows, long missing, long extra, long different,
    List<String> missingExamples, List<String> extraExamples, List<Difference> differentExamples,
    List<Aggregate> aggregates, boolean keyed) {

  /** Copies the lists. */
  public ParityReport {
    missingExamples = List.copyOf(missingExamples);
    extraExamples = List.copyOf(extraExamples);
    differentExamples = List.copyOf(differentExamples);
    aggregates = List.copyOf(aggregates);
  }

  /** Whether the read model matches: no row differences and every aggregate within tolerance. */
  public boolean passed() {
    return missing == 0 && extra == 0 && different == 0 && aggregates.stream().allMatch(Aggregate::withinTolerance);
  }

  /**
   * One differing row.
   *
   * @param key the row's key
   * @param columns for each differing column, the legacy value and the read model's
   */
  public record Difference(String key, Map<String, List<@Nullable Object>> columns) {
    /** Copies the map. */
    public Difference {
      columns = Map.copyOf(columns);
    }
  }

  /**
   * One aggregate of both sides.
   *
   * @param name {@code count} or {@code sum(column)}
   * @param legacy the legacy value
   * @param readModel the read model's value
   * @param relativeDifference |legacy − readModel| / max(|legacy|, |readModel|), 0 when both are 0
   * @param withinTolerance whether the difference is within the configured tolerance
   */
  public record Aggregate(String name, BigDecimal legacy, BigDecimal readModel, double relativeDifference,
      boolean withinTolerance) {}

  /** A few lines for people and logs. */
  public String describe() {
    StringBuilder out = new StringBuilder(passed() ? "PARITY PASSED" : "PARITY FAILED").append('\n');
    out.append("rows: legacy ").append(legacyRows).append(", read model ").append(readModelRows).append('\n');
    if (keyed) {
      out.append("missing in read model: ").append(missing).append(missingExamples.isEmpty() ? "" : " e.g. " + missingExamples).append('\n');
      out.append("extra in read model: ").append(extra).append(extraExamples.isEmpty() ? "" : " e.g. " + extraExamples).append('\n');
      out.append("different: ").append(different).append('\n');
      for (Difference d : differentExamples) {
        out.append("  key ").append(d.key()).append(": ").append(d.columns()).append('\n');
      }
    }
    for (Aggregate a : aggregates) {
      out.append(a.name()).append(": legacy ").append(a.legacy().toPlainString()).append(", read model ")
          .append(a.readModel().toPlainString()).append(String.format(java.util.Locale.ROOT, " (%.6f%%)", a.relativeDifference() * 100))
          .append(a.withinTolerance() ? " ok" : " OUT OF TOLERANCE").append('\n');
    }
    return out.toString();
  }
}

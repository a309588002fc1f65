package dev.fabula.testkit.contract;

import dev.fabula.testkit.contract.ContractEvents.Nested;
import dev.fabula.testkit.contract.ContractEvents.Numbers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Values and assertions that several contract suites share; not part of the test kit's API. */
final class ContractChecks {

  private ContractChecks() {}

  /** A {@link Numbers} value whose every field is awkward for JSON. */
  static Numbers sampleNumbers() {
    return new Numbers(
        -42,
        1L << 53 | 1,
        0.1,
        1.5f,
        new BigDecimal("19.90"),
        new BigDecimal("12345678901234567890.123456789"),
        BigInteger.TWO.pow(70),
        true,
        List.of("b", "a", "b"),
        Map.of("z", 1, "a", 2),
        new Nested("inner", List.of(Long.MAX_VALUE, Long.MIN_VALUE, 0L)),
        null);
  }

  static void assertStrictlyIncreasing(List<Long> values) {
    for (int i = 1; i < values.size(); i++) {
      if (values.get(i) <= values.get(i - 1)) {
        throw new AssertionError(
            "positions must strictly increase but "
                + values.get(i)
                + " at index "
                + i
                + " follows "
                + values.get(i - 1));
      }
    }
  }
}

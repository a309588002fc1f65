package dev.fabula.examples.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbRoundsTest {
  @Test
  void every_mode_warms_up_once_then_runs_once_per_round_in_a_rotating_order() throws Exception {
    List<String> order = new ArrayList<>();
    AbRounds.run(6, List.of(
        new AbRounds.Mode("a", r -> record(order, "a", r)),
        new AbRounds.Mode("b", r -> record(order, "b", r)),
        new AbRounds.Mode("c", r -> record(order, "c", r))));

    assertThat(order.subList(0, 3)).containsExactly("a-1", "b-1", "c-1");
    assertThat(order.subList(3, order.size())).containsExactly(
        "a0", "b0", "c0", "b1", "c1", "a1", "c2", "a2", "b2",
        "a3", "c3", "b3", "b4", "a4", "c4", "c5", "b5", "a5");
  }

  @Test
  void several_warm_ups_run_mode_by_mode_before_the_measured_rounds() throws Exception {
    List<String> order = new ArrayList<>();
    AbRounds.run(2, 2, List.of(
        new AbRounds.Mode("a", r -> record(order, "a", r)),
        new AbRounds.Mode("b", r -> record(order, "b", r))));

    assertThat(order).containsExactly("a-1", "b-1", "a-2", "b-2", "a0", "b0", "b1", "a1");
  }

  @Test
  void the_overhead_is_the_median_of_the_rounds_side_by_side_and_its_spread_is_half_the_interquartile_range()
      throws Exception {
    double[] plain = {100, 200, 100, 200, 100};
    double[] with = {95, 190, 94, 192, 80};
    AbRounds.Comparison c = AbRounds.run(5, List.of(
        new AbRounds.Mode("plain", r -> new AbRounds.Sample(r < 0 ? 1 : plain[r], 1000)),
        new AbRounds.Mode("with", r -> new AbRounds.Sample(r < 0 ? 1 : with[r], r < 0 ? 1 : 1000 + 10 * r))));

    assertThat(c.median("plain")).isEqualTo(100);
    assertThat(c.median("with")).isEqualTo(95);
    // per round: 5, 5, 6, 4, 20 % -> median 5, quartiles 5 and 6
    assertThat(c.overheadPct("with")).isCloseTo(5, within(1e-9));
    assertThat(c.spreadPct("with")).isCloseTo(0.5, within(1e-9));
    // CPU per op: 1000 plain, 1000 + 10 r with -> 0, 1, 2, 3, 4 % -> median 2, quartiles 1 and 3
    assertThat(AbRounds.median(c.cpuOverheads("with"))).isCloseTo(2, within(1e-9));
    assertThat(AbRounds.halfIqr(c.cpuOverheads("with"))).isCloseTo(1, within(1e-9));
    assertThat(c.results(m -> "x." + m + ".ops", m -> "x." + m, "ops/s")).extracting(Result::name)
        .containsExactly("x.plain.ops", "x.plain.ops.cpu_us_per_op", "x.with.ops", "x.with.ops.cpu_us_per_op",
            "x.with.overhead_pct", "x.with.overhead_spread_pct", "x.with.cpu_overhead_pct", "x.with.cpu_overhead_spread_pct");
  }

  private static AbRounds.Sample record(List<String> order, String mode, int round) {
    order.add(mode + round);
    return new AbRounds.Sample(1, 1);
  }
}

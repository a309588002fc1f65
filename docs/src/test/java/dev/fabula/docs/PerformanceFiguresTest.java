package dev.fabula.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps performance figures in one place: {@code docs/benchmarks.md}. Any other page (the
 * project's README and {@code docs/*.md}) that quotes a measured figure fails the build, because
 * figures copied to several pages drift apart as runs are repeated; those pages link to the
 * benchmarks instead.
 *
 * <p>A figure is a throughput ({@code 5,985 jobs/s}, {@code events per second}), a latency in
 * milliseconds with a fraction or a range ({@code 4.1 ms}, {@code 8 to 29 ms}, {@code 11–53 ms})
 * or beside a percentile ({@code p99 of 50 ms}), a ratio ({@code 0.87}, {@code 1.12 ×}) or a
 * heap size in MB. Configuration values are not figures: whole durations ({@code lease 30 s},
 * {@code poll 500 ms}, {@code 100 ms–30 s}), sizes in KiB and MiB, tolerances with three decimals
 * ({@code 0.001}), percentages, versions ({@code SQLite 3.35+}) and amounts ({@code 12.50}). Code
 * blocks and inline code are skipped: snippets hold configuration, not measurements.
 */
class PerformanceFiguresTest {
  private static final String NUMBER = "\\d[\\d,]*(?:\\.\\d+)?";
  private static final List<Pattern> FIGURES = List.of(
      // a throughput: "5,985 jobs/s", "174,000 events per second", "3,300–4,500 jobs/s"
      Pattern.compile(NUMBER + "\\s*(?:k\\s*)?(?:events|jobs|rows|appends|reads|writes|commands|operations|ops|transactions|requests)"
          + "\\s*(?:/\\s*s(?:ec)?\\b|per\\s+s(?:ec(?:ond)?)?\\b)"),
      // a latency with a fraction: "4.1 ms", "0.035 ms", "2.0 / 9.2 ms"
      Pattern.compile("\\b\\d+\\.\\d+\\s*(?:ms|µs|us)\\b"),
      // a range of latencies: "8 to 29 ms", "11–53 ms"
      Pattern.compile("\\b\\d+\\s*(?:–|-|to)\\s*\\d+\\s*(?:ms|µs|us)\\b"),
      // a percentile with a latency: "p99 11 ms", "p99 under 50 ms", "p50 / p99 0.3 / 0.5 ms"
      Pattern.compile("\\bp(?:50|75|90|95|99|999)\\b[^\\n]{0,40}?\\b\\d+(?:\\.\\d+)?\\s*(?:ms|µs|us|s)\\b"),
      // a ratio below 2 written with one or two decimals: "0.87", "≥ 0.9", "1.63" (not "0.001", not "0.1 %")
      Pattern.compile("(?<![\\w.])[01]\\.\\d{1,2}(?![\\d.%]|\\s*%)"),
      // a ratio written as a multiple: "1.12 ×", "4.8 times faster" (not "2.8 × 10^14")
      Pattern.compile("\\b\\d+\\.\\d+\\s*(?:×|x\\b|times\\b)(?!\\s*10\\s*\\^)"),
      // a measured heap or memory size: "165 MB" (configuration uses KiB and MiB)
      Pattern.compile("\\b\\d+(?:\\.\\d+)?\\s*(?:MB|GB)\\b"));

  private static final Pattern CODE_BLOCK = Pattern.compile("(?ms)^[ \\t]*```.*?^[ \\t]*```[ \\t]*$");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");

  @Test
  void no_page_but_the_benchmarks_quotes_a_performance_figure() throws IOException {
    List<String> quoted = new ArrayList<>();
    for (Path page : SnippetsTest.pages()) {
      if (!page.getFileName().toString().equals("benchmarks.md")) {
        quoted.addAll(figures(page.getFileName().toString(), Files.readString(page)));
      }
    }
    assertThat(quoted)
        .as("performance figures outside docs/benchmarks.md (move them there and link to it)")
        .isEmpty();
  }

  @Test
  void the_benchmarks_page_is_where_the_figures_are() throws IOException {
    Path benchmarks = SnippetsTest.pages().stream()
        .filter(p -> p.getFileName().toString().equals("benchmarks.md"))
        .findFirst()
        .orElseThrow();

    assertThat(figures("benchmarks.md", Files.readString(benchmarks))).hasSizeGreaterThan(20);
  }

  @Test
  void catches_throughputs_latencies_ratios_and_heap_sizes() {
    List<String> sentences = List.of(
        "SQLite about 3,300–4,500 jobs/s, 0.31–0.67 of the raw loop",
        "the scheduler ran 5,985 jobs/s",
        "catch-up at 174,000 events per second",
        "append commit to handler, p99 4.1 ms",
        "over other runs the PostgreSQL p99 ranged from 8 to 29 ms",
        "pickup p50 1–5 ms",
        "p99 under 50 ms on PostgreSQL",
        "the SQLite catch-up ratio ranged from 0.51 to 0.78",
        "reaches 0.87 against a target of ≥0.9",
        "1.12 × the raw readAll",
        "4.8 times faster",
        "a million events read in well under 256 MB of heap",
        "| 100 events, snapshots | 0.035 ms |");

    for (String sentence : sentences) {
      assertThat(figures("page.md", sentence)).as(sentence).isNotEmpty();
    }
  }

  @Test
  void leaves_configuration_values_versions_and_amounts_alone() {
    List<String> sentences = List.of(
        "| `leaseDuration`, `leaseRenewInterval` | 30 s, 10 s | how long a claim lasts |",
        "lease 30 s, 5 attempts, backoff 100 ms–30 s, poll 1 s, batch 500",
        "picked up at the next poll (default 500 ms)",
        "retries after 60 s, 120 s, 240 s",
        "a writer waits up to 10 seconds (busy_timeout), then fails",
        "tenant ids up to 200 characters, metadata entries up to 64 KiB, payloads up to 1 MiB (64 MiB at most)",
        "the relative tolerance (0.001 = ±0.1%)",
        "absolute figures move by ±30 % between runs; 90% of the lease",
        "the position (48 bits, 2.8 × 10^14 events)",
        "taken over at most about 4/3 × leaseDuration after its last renewal",
        "PostgreSQL 14+ and SQLite 3.35+, Java 17, Maven 3.8",
        "`12.50` stays `12.50`; v1 ItemAdded[sku=tea, quantity=2, price=3.50]; cart-42 total 15.00",
        "retry with `withJitter(0.2)` and `Duration.ofMillis(200)`",
        "1–10,000 events per stream in one append");

    for (String sentence : sentences) {
      assertThat(figures("page.md", sentence)).as(sentence).isEmpty();
    }
  }

  @Test
  void skips_code_blocks() {
    String page = "Prose.\n\n```java\nconfig.withTolerance(0.87); // 4.1 ms\n```\n\nMore prose.\n";

    assertThat(figures("page.md", page)).isEmpty();
  }

  /** "page:line: figure (the line)" for every figure in the prose of {@code markdown}. */
  static List<String> figures(String page, String markdown) {
    String prose = CODE_BLOCK.matcher(markdown).replaceAll(m -> "\n".repeat(newlines(m.group())));
    List<String> found = new ArrayList<>();
    String[] lines = prose.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = INLINE_CODE.matcher(lines[i]).replaceAll("");
      for (Pattern figure : FIGURES) {
        Matcher m = figure.matcher(line);
        while (m.find()) {
          found.add(page + ":" + (i + 1) + ": " + m.group() + " (" + lines[i].strip() + ")");
        }
      }
    }
    return found;
  }

  private static int newlines(String text) {
    return (int) text.chars().filter(c -> c == '\n').count();
  }
}

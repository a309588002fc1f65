package dev.fabula.metrics;

import dev.fabula.InvalidInputException;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.List;

/**
 * How Fabula's meters are built. Immutable; start from {@link #DEFAULT} and change what you need:
 *
 * <pre>{@code
 * MetricsConfig config = MetricsConfig.DEFAULT
 *     .withTags(List.of(Tag.of("store", "billing")))   // tell two stores apart
 *     .withPercentileHistogram(true);                   // buckets for server-side percentiles
 * }</pre>
 *
 * @param tags tags added to every meter, such as the store's name when an application has several
 *     stores; keep their values few (no ids)
 * @param percentileHistogram whether timers publish histogram buckets (for percentiles computed by
 *     the monitoring system, across instances); off by default: a bucketed timer is about 70 time
 *     series per tag combination
 * @param percentiles percentiles each timer computes in this process (for example 0.5, 0.99), none
 *     by default; each is one more time series, and they cannot be aggregated across instances
 * @param pollInterval how old the status a gauge reports may be: gauges of projections and the
 *     scheduler read {@code statuses()} and {@code stats()} (a few queries) at most once per
 *     interval, however many gauges are scraped and however often
 */
public record MetricsConfig(
    List<Tag> tags, boolean percentileHistogram, List<Double> percentiles, Duration pollInterval) {

  /** Default poll interval: 5 seconds. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  /** The defaults: no extra tags, no histogram buckets, no percentiles, statuses polled every 5 s. */
  public static final MetricsConfig DEFAULT = new MetricsConfig(List.of(), false, List.of(), DEFAULT_POLL_INTERVAL);

  /** Validates every value and quotes the bad one. */
  public MetricsConfig {
    if (tags == null || tags.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidInputException("tags must be a list without nulls; use List.of() for none");
    }
    tags = List.copyOf(tags);
    if (percentiles == null) {
      throw new InvalidInputException("percentiles must not be null; use List.of() for none");
    }
    for (Double p : percentiles) {
      if (p == null || !(p > 0 && p < 1)) {
        throw new InvalidInputException("a percentile must be between 0 and 1 (exclusive), such as 0.99, but was " + p);
      }
    }
    percentiles = List.copyOf(percentiles);
    if (pollInterval == null || pollInterval.isNegative()) {
      throw new InvalidInputException("pollInterval must be zero (poll at every scrape) or more but was " + pollInterval);
    }
  }

  /** Returns a copy whose meters all carry {@code value} as well. */
  public MetricsConfig withTags(List<Tag> value) {
    return new MetricsConfig(value, percentileHistogram, percentiles, pollInterval);
  }

  /** Returns a copy whose timers publish histogram buckets ({@code true}) or not. */
  public MetricsConfig withPercentileHistogram(boolean value) {
    return new MetricsConfig(tags, value, percentiles, pollInterval);
  }

  /** Returns a copy whose timers compute these percentiles in process. */
  public MetricsConfig withPercentiles(List<Double> value) {
    return new MetricsConfig(tags, percentileHistogram, value, pollInterval);
  }

  /** Returns a copy that polls statuses at most once per {@code value}. */
  public MetricsConfig withPollInterval(Duration value) {
    return new MetricsConfig(tags, percentileHistogram, percentiles, value);
  }

  double[] percentileArray() {
    return percentiles.stream().mapToDouble(Double::doubleValue).toArray();
  }
}

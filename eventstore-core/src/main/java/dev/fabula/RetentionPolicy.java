package dev.fabula;

import dev.fabula.spi.SnapshotStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Retention#apply} removes, and from which streams: a rule (keep the last N events,
 * keep events younger than a duration, or drop what a snapshot covers) for one stream or for every
 * stream of a category, in the store's tenant namespace only.
 *
 * <pre>{@code
 * store.retention().apply(RetentionPolicy.keepLast(1_000).forCategory("sensor"));
 * store.retention().apply(RetentionPolicy.maxAge(Duration.ofDays(30)).forStream("audit-7"));
 * store.retention().apply(RetentionPolicy.coveredBySnapshot(snapshots).forCategory("order"));
 * }</pre>
 *
 * <p>A stream's version never moves back: truncation removes old events, the stream keeps its
 * version, and appends continue after it.
 *
 * @param rule what to keep
 * @param streamId the one stream the policy covers, or null when it covers a category
 * @param category the category whose streams the policy covers, or null when it covers one stream
 */
public record RetentionPolicy(Rule rule, @Nullable String streamId, @Nullable String category) {

  /** Validates: a rule, and exactly one of stream and category. */
  public RetentionPolicy {
    if (rule == null) {
      throw new InvalidInputException("a retention policy needs a rule: RetentionPolicy.keepLast(n), maxAge(d) or coveredBySnapshot(s)");
    }
    if ((streamId == null) == (category == null)) {
      throw new InvalidInputException("a retention policy covers either one stream or one category, not "
          + (streamId == null ? "neither" : "both") + "; use forStream(id) or forCategory(name)");
    }
    if (category != null && (category.isEmpty() || category.contains("-"))) {
      throw new InvalidInputException("'" + category + "' is not a category: a category is the part of a stream id before "
          + "the first '-', such as 'order' for 'order-42'");
    }
  }

  /** What a policy keeps. */
  public sealed interface Rule permits KeepLast, MaxAge, CoveredBySnapshot {
    /** The policy of this rule for one stream. */
    default RetentionPolicy forStream(String streamId) {
      if (streamId == null || streamId.isEmpty()) {
        throw new InvalidInputException("stream id must not be null or empty");
      }
      return new RetentionPolicy(this, streamId, null);
    }

    /** The policy of this rule for every stream of {@code category} (the part of stream ids before the first {@code -}). */
    default RetentionPolicy forCategory(String category) {
      return new RetentionPolicy(this, null, category);
    }
  }

  /**
   * Keeps the newest {@code count} events of each stream and removes older ones.
   *
   * @param count 1 or more
   */
  public record KeepLast(long count) implements Rule {
    /** Validates. */
    public KeepLast {
      if (count < 1) {
        throw new InvalidInputException("keepLast needs a count of 1 or more but had " + count + "; to remove a whole stream, "
            + "use hardDeleteStream or archive it");
      }
    }
  }

  /**
   * Keeps the events recorded less than {@code age} ago (by the store's clock) and removes older
   * ones; a stream whose events are all older loses them all and keeps its version.
   *
   * @param age more than zero
   */
  public record MaxAge(Duration age) implements Rule {
    /** Validates. */
    public MaxAge {
      if (age == null || age.isNegative() || age.isZero()) {
        throw new InvalidInputException("maxAge needs a positive duration but had " + age);
      }
    }
  }

  /**
   * Removes the events a snapshot covers: with a snapshot at version {@code s}, versions 1 to
   * {@code s}. A stream without a snapshot keeps everything. Aggregates then load from the snapshot
   * and the events after it; if the snapshot becomes unusable (the aggregate's state schema version
   * changes), loading fails with {@link StreamTruncatedException} rather than building a state from
   * part of the history.
   *
   * @param snapshots where the aggregate's repository keeps its snapshots
   */
  public record CoveredBySnapshot(SnapshotStore snapshots) implements Rule {
    /** Validates. */
    public CoveredBySnapshot {
      if (snapshots == null) {
        throw new InvalidInputException("coveredBySnapshot needs the repository's snapshot store");
      }
    }
  }

  /** Keep the newest {@code count} events of each stream. */
  public static KeepLast keepLast(long count) {
    return new KeepLast(count);
  }

  /** Keep the events younger than {@code age}. */
  public static MaxAge maxAge(Duration age) {
    return new MaxAge(age);
  }

  /** Remove the events a snapshot in {@code snapshots} covers. */
  public static CoveredBySnapshot coveredBySnapshot(SnapshotStore snapshots) {
    return new CoveredBySnapshot(snapshots);
  }
}

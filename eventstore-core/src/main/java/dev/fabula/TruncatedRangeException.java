package dev.fabula;

import java.util.List;

/**
 * A read of the global log ({@link EventStore#readAll}) would have passed over events that
 * retention removed after the reader's position ({@link Retention}): the reader is behind a
 * truncated or archived range. It is told instead of silently skipping: {@link #ranges()} says
 * exactly which streams, versions and positions it cannot see. A reader that has dealt with them
 * (recorded the gap, rebuilt from elsewhere, or decided they do not matter) reads on with {@link
 * LogQuery#acceptRemovalsThrough}{@code (e.lastRemovalId())}; later removals are reported again.
 */
public class TruncatedRangeException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final long afterPosition;
  private final transient List<RemovedRange> ranges;

  /** Creates the exception for a read after {@code afterPosition} that crosses {@code ranges} (at least one). */
  public TruncatedRangeException(long afterPosition, List<RemovedRange> ranges) {
    super("the global log after position " + afterPosition + " has lost " + ranges.size() + " range(s) to retention: "
        + ranges.get(0).describe() + (ranges.size() > 1 ? " and " + (ranges.size() - 1) + " more" : "")
        + "; a reader behind them cannot see those events. Rebuild what depends on them, or, once handled, read on with "
        + "LogQuery.acceptRemovalsThrough(" + ranges.get(ranges.size() - 1).removalId() + ")");
    this.afterPosition = afterPosition;
    this.ranges = List.copyOf(ranges);
  }

  /** The position the read started after. */
  public long afterPosition() {
    return afterPosition;
  }

  /** The removed ranges the read crossed, oldest removal first. */
  public List<RemovedRange> ranges() {
    return ranges;
  }

  /** The newest removal among {@link #ranges()}: pass it to {@link LogQuery#acceptRemovalsThrough}. */
  public long lastRemovalId() {
    return ranges.get(ranges.size() - 1).removalId();
  }
}

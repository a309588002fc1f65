package dev.fabula;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which part of the global log to read ({@link EventStore#readAll}): every event after a position,
 * optionally only some event types, stream categories or one tenant. Empty sets mean "all".
 *
 * <pre>{@code
 * try (var events = store.readAll(LogQuery.after(checkpoint).categories(Set.of("booking")))) {
 *   events.forEach(this::apply);
 * }
 * }</pre>
 *
 * @param afterPosition return events whose position is greater than this; 0 for the whole log
 * @param types event types to return; empty for all
 * @param categories stream categories to return; empty for all
 * @param tenantId the only tenant to return, or null for all
 * @param limit the most events to return
 * @param acceptedRemovals the newest retention removal ({@link RemovedRange#removalId()}) the reader
 *     has dealt with: removals up to it no longer stop the read with {@link TruncatedRangeException};
 *     0 for none
 */
public record LogQuery(
    long afterPosition, Set<String> types, Set<String> categories, @Nullable String tenantId, long limit,
    long acceptedRemovals) {

  /** Validates and copies. */
  public LogQuery {
    if (afterPosition < 0) {
      throw new InvalidInputException("afterPosition must be 0 or more but was " + afterPosition);
    }
    if (limit < 1) {
      throw new InvalidInputException("limit must be 1 or more but was " + limit);
    }
    if (types == null || categories == null
        || types.stream().anyMatch(java.util.Objects::isNull)
        || categories.stream().anyMatch(java.util.Objects::isNull)) {
      throw new InvalidInputException("types and categories must not be null nor contain null; use Set.of() for all");
    }
    if (acceptedRemovals < 0) {
      throw new InvalidInputException("acceptedRemovals must be 0 or more but was " + acceptedRemovals);
    }
    types = Set.copyOf(types);
    categories = Set.copyOf(categories);
  }

  /** A query that has accepted no removals. */
  public LogQuery(long afterPosition, Set<String> types, Set<String> categories, @Nullable String tenantId, long limit) {
    this(afterPosition, types, categories, tenantId, limit, 0);
  }

  /** The whole log. */
  public static LogQuery all() {
    return after(0);
  }

  /** Every event after {@code position}. */
  public static LogQuery after(long position) {
    return new LogQuery(position, Set.of(), Set.of(), null, Long.MAX_VALUE);
  }

  /** Returns a copy that keeps only these event types. */
  public LogQuery types(Set<String> value) {
    return new LogQuery(afterPosition, value, categories, tenantId, limit, acceptedRemovals);
  }

  /** Returns a copy that keeps only streams of these categories. */
  public LogQuery categories(Set<String> value) {
    return new LogQuery(afterPosition, types, value, tenantId, limit, acceptedRemovals);
  }

  /** Returns a copy that keeps only this tenant's events. */
  public LogQuery tenant(@Nullable String value) {
    return new LogQuery(afterPosition, types, categories, value, limit, acceptedRemovals);
  }

  /** Returns a copy that returns at most {@code max} events. */
  public LogQuery limit(long max) {
    return new LogQuery(afterPosition, types, categories, tenantId, max, acceptedRemovals);
  }

  /**
   * Returns a copy that reads on past every retention removal up to {@code removalId} (see {@link
   * TruncatedRangeException#lastRemovalId()}): the reader has dealt with them. Later removals still
   * stop it.
   */
  public LogQuery acceptRemovalsThrough(long removalId) {
    return new LogQuery(afterPosition, types, categories, tenantId, limit, removalId);
  }

  /**
   * Returns a copy that reads what the log holds now, past every retention removal, without being
   * told of them: for readers that browse or look up positions (a console, an audit), never for
   * one that builds state from the log (a projection must not skip silently; see {@link
   * #acceptRemovalsThrough}).
   */
  public LogQuery acceptAllRemovals() {
    return acceptRemovalsThrough(Long.MAX_VALUE);
  }

  /** Whether a removal of a stream of {@code category} in {@code tenant} concerns this query (not yet accepted, in its scope). */
  public boolean concerns(RemovedRange removal, @Nullable String tenant) {
    return removal.removalId() > acceptedRemovals
        && (categories.isEmpty() || categories.contains(Streams.category(removal.streamId())))
        && (tenantId == null || tenantId.equals(tenant));
  }

  /** Whether an event passes the type, category and tenant filters. */
  public boolean matches(RecordedEvent event) {
    return (types.isEmpty() || types.contains(event.type()))
        && (categories.isEmpty() || categories.contains(event.category()))
        && (tenantId == null || tenantId.equals(event.metadata().tenantId()));
  }
}

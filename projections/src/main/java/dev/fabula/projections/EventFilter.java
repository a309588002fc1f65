package dev.fabula.projections;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import java.util.Set;

/**
 * Which events a projection handles: by event type and/or by stream category (the part of the
 * stream id before the first {@code -}). Empty sets mean "all"; both set means both must match.
 * The filter runs in the database ({@link LogQuery#types}, {@link LogQuery#categories}).
 *
 * @param types event types to handle; empty for all
 * @param categories stream categories to handle; empty for all
 */
public record EventFilter(Set<String> types, Set<String> categories) {

  /** Every event. */
  public static final EventFilter ALL = new EventFilter(Set.of(), Set.of());

  /** Copies the sets. */
  public EventFilter {
    if (types == null || categories == null) {
      throw new ProjectionException("types and categories must not be null; use Set.of() for all");
    }
    types = Set.copyOf(types);
    categories = Set.copyOf(categories);
  }

  /** Events of these types. */
  public static EventFilter ofTypes(String... types) {
    return new EventFilter(Set.of(types), Set.of());
  }

  /** Events of streams of these categories. */
  public static EventFilter ofCategories(String... categories) {
    return new EventFilter(Set.of(), Set.of(categories));
  }

  /** Returns a copy that also requires one of these types. */
  public EventFilter withTypes(Set<String> value) {
    return new EventFilter(value, categories);
  }

  /** Returns a copy that also requires one of these categories. */
  public EventFilter withCategories(Set<String> value) {
    return new EventFilter(types, value);
  }

  /** The query for the events this filter passes after {@code position}, at most {@code limit}. */
  public LogQuery after(long position, long limit) {
    return LogQuery.after(position).types(types).categories(categories).limit(limit);
  }

  /** Whether {@code event} passes. */
  public boolean matches(RecordedEvent event) {
    return (types.isEmpty() || types.contains(event.type()))
        && (categories.isEmpty() || categories.contains(event.category()));
  }
}

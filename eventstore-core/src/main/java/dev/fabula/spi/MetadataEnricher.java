package dev.fabula.spi;

import dev.fabula.Metadata;

/**
 * Adds entries to the metadata of every event a store appends, on the appending thread, before the
 * append is validated: what the {@code fabula-tracing} module records the current trace context
 * with ({@code traceparent}, {@code tracestate}). Set one with {@link
 * dev.fabula.EventStoreConfig#withMetadataEnricher}; without one (the default, {@link #NONE}) the
 * store appends the metadata as given.
 *
 * <p><b>Contract.</b> Called once per event of every append (stand-alone, in a unit of work, by an
 * aggregate repository), so keep it fast and side-effect free; return {@code metadata} itself when
 * there is nothing to add. What it returns is validated like the caller's metadata, and stored.
 * Entries it adds do not take part in idempotency: a retried append whose enricher added other
 * values is still a retry. An exception it throws fails the append before anything is written.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface MetadataEnricher {

  /** Adds nothing. */
  MetadataEnricher NONE = metadata -> metadata;

  /**
   * The metadata to store for one event.
   *
   * @param metadata the event's metadata as the caller gave it
   * @return the metadata to store, never null
   */
  Metadata enrich(Metadata metadata);
}

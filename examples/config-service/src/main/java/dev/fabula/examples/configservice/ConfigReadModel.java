package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.EventStore;
import dev.fabula.RecordedEvent;
import dev.fabula.examples.configservice.ConfigEvent.ValueCreated;
import dev.fabula.examples.configservice.ConfigEvent.ValueDeleted;
import dev.fabula.examples.configservice.ConfigEvent.ValueUpdated;
import dev.fabula.projections.EventFilter;
import dev.fabula.projections.LiveProjection;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The read side: every current config value in memory, kept by a {@link LiveProjection} over the
 * {@code config} category. It is rebuilt from the global log when the service starts and then
 * follows the log live, so GETs never touch the database.
 *
 * <p>The fold mutates a {@link ConcurrentHashMap} (one writer: the projection's thread; any number
 * of readers): copying an immutable map per event would make a rebuild quadratic in the number of
 * names. A reader may therefore see a batch half applied, each entry whole. After a write, call
 * {@link #awaitPosition} with the write's global position to read your own write.
 */
public final class ConfigReadModel implements AutoCloseable {

  /**
   * One current value as GET returns it.
   *
   * @param name the config name
   * @param value the value
   * @param version the stream version of the last change
   * @param updatedAt when that change was recorded
   * @param updatedBy who made it, if the client said ({@code X-Actor})
   */
  public record Entry(String name, JsonNode value, long version, Instant updatedAt, @Nullable String updatedBy) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong eventsFolded = new AtomicLong();
  private final LiveProjection<Map<String, Entry>> live;
  private final long rebuiltEvents;
  private final Duration rebuildTime;

  private ConfigReadModel(EventStore store) {
    long started = System.nanoTime();
    this.live = LiveProjection.start(store, EventFilter.ofCategories(ConfigAggregate.CATEGORY), entries,
        (state, event) -> fold(store, state, event), Duration.ofSeconds(1));
    this.rebuildTime = Duration.ofNanos(System.nanoTime() - started);
    this.rebuiltEvents = eventsFolded.get();
  }

  /** Rebuilds the read model from the log (blocking until caught up) and starts following it. */
  public static ConfigReadModel start(EventStore store) {
    return new ConfigReadModel(store);
  }

  private Map<String, Entry> fold(EventStore store, Map<String, Entry> state, RecordedEvent recorded) {
    ConfigEvent event = (ConfigEvent) store.types().decode(recorded);
    String actor = recorded.metadata().actor();
    if (event instanceof ValueCreated created) {
      state.put(created.name(), new Entry(created.name(), created.value(), recorded.streamVersion(),
          recorded.recordedAt(), actor));
    } else if (event instanceof ValueUpdated updated) {
      state.put(updated.name(), new Entry(updated.name(), updated.newValue(), recorded.streamVersion(),
          recorded.recordedAt(), actor));
    } else if (event instanceof ValueDeleted deleted) {
      state.remove(deleted.name());
    }
    eventsFolded.incrementAndGet();
    return state;
  }

  /** The current value of {@code name}, if it has one. */
  public Optional<Entry> get(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  /** Every current value, sorted by name. */
  public List<Entry> all() {
    return entries.values().stream().sorted(Comparator.comparing(Entry::name)).toList();
  }

  /**
   * Blocks until the event at global {@code position} is folded in: read-your-writes.
   *
   * @throws dev.fabula.projections.ProjectionTimeoutException if that takes longer than {@code timeout}
   */
  public void awaitPosition(long position, Duration timeout) {
    live.awaitPosition(position, timeout);
  }

  /** The global position of the last event folded in. */
  public long position() {
    return live.position();
  }

  /** How many events the start-up rebuild folded. */
  public long rebuiltEvents() {
    return rebuiltEvents;
  }

  /** How long the start-up rebuild took. */
  public Duration rebuildTime() {
    return rebuildTime;
  }

  /** How many events were folded since start, rebuild included. */
  public long eventsFolded() {
    return eventsFolded.get();
  }

  /** Stops following the log. */
  @Override
  public void close() {
    live.close();
  }
}

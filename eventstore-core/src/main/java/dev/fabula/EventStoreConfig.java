package dev.fabula;

import java.time.Clock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How an event store is set up. Immutable; start from {@link #DEFAULT} and change what you need:
 *
 * <pre>{@code
 * EventStoreConfig config = EventStoreConfig.DEFAULT
 *     .withEventTypes(types)
 *     .withTablePrefix("billing_")
 *     .withUpcasters(Upcasters.of(new ValueSetV1ToV2()));
 * }</pre>
 *
 * @param eventTypes the event type registry and JSON mapper
 * @param tablePrefix prefix of every table the store creates: lower-case letters, digits and
 *     underscores, starting with a letter, at most 20 characters
 * @param schema the PostgreSQL schema for the tables (null: the connection's default); ignored on
 *     SQLite
 * @param clock the clock that stamps {@link RecordedEvent#recordedAt()}
 * @param maxPayloadBytes the largest payload accepted, in bytes of UTF-8 JSON
 * @param maxPoolSize the most database connections the store opens (JDBC backends)
 * @param upcasters the upcasters applied to events on every read ({@link Upcaster})
 * @param upcasterDiscovery whether to add the {@link Upcaster}s listed in {@code
 *     META-INF/services/dev.fabula.Upcaster} on the class path (off by default; each one found is
 *     logged, and registered upcasters win over discovered ones)
 */
public record EventStoreConfig(
    EventTypes eventTypes,
    String tablePrefix,
    @Nullable String schema,
    Clock clock,
    int maxPayloadBytes,
    int maxPoolSize,
    Upcasters upcasters,
    boolean upcasterDiscovery) {

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,19}");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Default table prefix. */
  public static final String DEFAULT_TABLE_PREFIX = "fabula_";
  /** Default payload limit: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
  /** Hard payload limit: 64 MiB. */
  public static final int MAX_PAYLOAD_BYTES_LIMIT = 64 << 20;
  /** Default connection pool size. */
  public static final int DEFAULT_MAX_POOL_SIZE = 10;

  /**
   * The defaults: no registered types, prefix {@code fabula_}, UTC system clock, 1 MiB payloads, no
   * upcasters and no upcaster discovery.
   */
  public static final EventStoreConfig DEFAULT =
      new EventStoreConfig(
          EventTypes.none(), DEFAULT_TABLE_PREFIX, null, Clock.systemUTC(),
          DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_MAX_POOL_SIZE, Upcasters.none(), false);

  /**
   * A configuration without upcasters: the constructor of the components that came first, kept so
   * that code written against it compiles.
   */
  public EventStoreConfig(
      EventTypes eventTypes, String tablePrefix, @Nullable String schema, Clock clock, int maxPayloadBytes,
      int maxPoolSize) {
    this(eventTypes, tablePrefix, schema, clock, maxPayloadBytes, maxPoolSize, Upcasters.none(), false);
  }

  /** Validates every value and quotes the bad one. */
  public EventStoreConfig {
    if (eventTypes == null) {
      throw new InvalidInputException("eventTypes must not be null; use EventTypes.none()");
    }
    if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
      throw new InvalidInputException(
          "table prefix '" + tablePrefix + "' is invalid; use 1 to 20 lower-case letters, digits or "
              + "underscores starting with a letter, such as \"fabula_\"");
    }
    if (schema != null && !SCHEMA.matcher(schema).matches()) {
      throw new InvalidInputException(
          "schema '" + schema + "' is invalid; use a lower-case SQL identifier such as \"events\"");
    }
    if (clock == null) {
      throw new InvalidInputException("clock must not be null; use Clock.systemUTC()");
    }
    if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES_LIMIT) {
      throw new InvalidInputException(
          "maxPayloadBytes must be between 1 and " + MAX_PAYLOAD_BYTES_LIMIT + " but was " + maxPayloadBytes);
    }
    if (maxPoolSize < 1) {
      throw new InvalidInputException("maxPoolSize must be 1 or more but was " + maxPoolSize);
    }
    if (upcasters == null) {
      throw new InvalidInputException("upcasters must not be null; use Upcasters.none()");
    }
  }

  /** Returns a copy with another type registry. */
  public EventStoreConfig withEventTypes(EventTypes value) {
    return new EventStoreConfig(value, tablePrefix, schema, clock, maxPayloadBytes, maxPoolSize, upcasters, upcasterDiscovery);
  }

  /** Returns a copy with another table prefix. */
  public EventStoreConfig withTablePrefix(String value) {
    return new EventStoreConfig(eventTypes, value, schema, clock, maxPayloadBytes, maxPoolSize, upcasters, upcasterDiscovery);
  }

  /** Returns a copy with another PostgreSQL schema. */
  public EventStoreConfig withSchema(@Nullable String value) {
    return new EventStoreConfig(eventTypes, tablePrefix, value, clock, maxPayloadBytes, maxPoolSize, upcasters, upcasterDiscovery);
  }

  /** Returns a copy with another clock. */
  public EventStoreConfig withClock(Clock value) {
    return new EventStoreConfig(eventTypes, tablePrefix, schema, value, maxPayloadBytes, maxPoolSize, upcasters, upcasterDiscovery);
  }

  /** Returns a copy with another payload limit. */
  public EventStoreConfig withMaxPayloadBytes(int value) {
    return new EventStoreConfig(eventTypes, tablePrefix, schema, clock, value, maxPoolSize, upcasters, upcasterDiscovery);
  }

  /** Returns a copy with another pool size. */
  public EventStoreConfig withMaxPoolSize(int value) {
    return new EventStoreConfig(eventTypes, tablePrefix, schema, clock, maxPayloadBytes, value, upcasters, upcasterDiscovery);
  }

  /** Returns a copy with other upcasters. */
  public EventStoreConfig withUpcasters(Upcasters value) {
    return new EventStoreConfig(eventTypes, tablePrefix, schema, clock, maxPayloadBytes, maxPoolSize, value, upcasterDiscovery);
  }

  /**
   * Returns a copy with {@link java.util.ServiceLoader} discovery of {@link Upcaster}s switched on
   * or off.
   */
  public EventStoreConfig withUpcasterDiscovery(boolean value) {
    return new EventStoreConfig(eventTypes, tablePrefix, schema, clock, maxPayloadBytes, maxPoolSize, upcasters, value);
  }
}

package dev.fabula;

import java.time.Clock;

/**
 * How an event store is set up. Immutable; start from {@link #DEFAULT} and change what you need:
 *
 * <pre>{@code
 * EventStoreConfig config = EventStoreConfig.DEFAULT
 *     .withEventTypes(types)
 *     .withUpcasters(Upcasters.of(new ValueSetV1ToV2()));
 * }</pre>
 *
 * @param eventTypes the event type registry and JSON mapper
 * @param clock the clock that stamps {@link RecordedEvent#recordedAt()}
 * @param maxPayloadBytes the largest payload accepted, in bytes of UTF-8 JSON
 * @param upcasters the upcasters applied to events on every read ({@link Upcaster})
 * @param upcasterDiscovery whether to add the {@link Upcaster}s listed in {@code
 *     META-INF/services/dev.fabula.Upcaster} on the class path (off by default; each one found is
 *     logged, and registered upcasters win over discovered ones)
 * @param metadataEnricher adds entries to every appended event's metadata (such as the trace
 *     context, see {@link dev.fabula.spi.MetadataEnricher}); {@link
 *     dev.fabula.spi.MetadataEnricher#NONE} by default
 * @param personalData which fields are personal data, encrypted per data subject ({@link
 *     PersonalDataPolicy}); {@link PersonalDataPolicy#NONE} by default
 */
public record EventStoreConfig(
    EventTypes eventTypes,
    Clock clock,
    int maxPayloadBytes,
    Upcasters upcasters,
    boolean upcasterDiscovery,
    dev.fabula.spi.MetadataEnricher metadataEnricher,
    PersonalDataPolicy personalData) {

  /** Default payload limit: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;
  /** Hard payload limit: 64 MiB. */
  public static final int MAX_PAYLOAD_BYTES_LIMIT = 64 << 20;

  /**
   * The defaults: no registered types, UTC system clock, 1 MiB payloads, no upcasters, no
   * upcaster discovery and no metadata enricher.
   */
  public static final EventStoreConfig DEFAULT = new EventStoreConfig(
      EventTypes.none(), Clock.systemUTC(), DEFAULT_MAX_PAYLOAD_BYTES, Upcasters.none(), false,
      dev.fabula.spi.MetadataEnricher.NONE, PersonalDataPolicy.NONE);

  /** Validates every value and quotes the bad one. */
  public EventStoreConfig {
    if (eventTypes == null) {
      throw new InvalidInputException("eventTypes must not be null; use EventTypes.none()");
    }
    if (clock == null) {
      throw new InvalidInputException("clock must not be null; use Clock.systemUTC()");
    }
    if (maxPayloadBytes < 1 || maxPayloadBytes > MAX_PAYLOAD_BYTES_LIMIT) {
      throw new InvalidInputException(
          "maxPayloadBytes must be between 1 and " + MAX_PAYLOAD_BYTES_LIMIT + " but was " + maxPayloadBytes);
    }
    if (upcasters == null) {
      throw new InvalidInputException("upcasters must not be null; use Upcasters.none()");
    }
    if (metadataEnricher == null) {
      throw new InvalidInputException("metadataEnricher must not be null; use MetadataEnricher.NONE");
    }
    if (personalData == null) {
      throw new InvalidInputException("personalData must not be null; use PersonalDataPolicy.NONE");
    }
  }

  /** The configuration without personal data; see the canonical constructor. */
  public EventStoreConfig(
      EventTypes eventTypes, Clock clock, int maxPayloadBytes, Upcasters upcasters, boolean upcasterDiscovery,
      dev.fabula.spi.MetadataEnricher metadataEnricher) {
    this(eventTypes, clock, maxPayloadBytes, upcasters, upcasterDiscovery, metadataEnricher, PersonalDataPolicy.NONE);
  }

  /** The configuration without a metadata enricher; see the canonical constructor. */
  public EventStoreConfig(
      EventTypes eventTypes, Clock clock, int maxPayloadBytes, Upcasters upcasters, boolean upcasterDiscovery) {
    this(eventTypes, clock, maxPayloadBytes, upcasters, upcasterDiscovery, dev.fabula.spi.MetadataEnricher.NONE);
  }

  /** Returns a copy with another type registry. */
  public EventStoreConfig withEventTypes(EventTypes value) {
    return new EventStoreConfig(value, clock, maxPayloadBytes, upcasters, upcasterDiscovery, metadataEnricher, personalData);
  }

  /** Returns a copy with another clock. */
  public EventStoreConfig withClock(Clock value) {
    return new EventStoreConfig(eventTypes, value, maxPayloadBytes, upcasters, upcasterDiscovery, metadataEnricher, personalData);
  }

  /** Returns a copy with another payload limit. */
  public EventStoreConfig withMaxPayloadBytes(int value) {
    return new EventStoreConfig(eventTypes, clock, value, upcasters, upcasterDiscovery, metadataEnricher, personalData);
  }

  /** Returns a copy with other upcasters. */
  public EventStoreConfig withUpcasters(Upcasters value) {
    return new EventStoreConfig(eventTypes, clock, maxPayloadBytes, value, upcasterDiscovery, metadataEnricher, personalData);
  }

  /**
   * Returns a copy with {@link java.util.ServiceLoader} discovery of {@link Upcaster}s switched on
   * or off.
   */
  public EventStoreConfig withUpcasterDiscovery(boolean value) {
    return new EventStoreConfig(eventTypes, clock, maxPayloadBytes, upcasters, value, metadataEnricher, personalData);
  }

  /**
   * Returns a copy whose appends pass every event's metadata through {@code value} (see {@link
   * dev.fabula.spi.MetadataEnricher}).
   */
  public EventStoreConfig withMetadataEnricher(dev.fabula.spi.MetadataEnricher value) {
    return new EventStoreConfig(eventTypes, clock, maxPayloadBytes, upcasters, upcasterDiscovery, value, personalData);
  }

  /**
   * Returns a copy that encrypts the personal fields {@code value} declares, per data subject, and
   * reads them back as JSON null once the subject is forgotten (see {@link PersonalDataPolicy} and
   * {@link EventStore#forgetSubject}).
   */
  public EventStoreConfig withPersonalData(PersonalDataPolicy value) {
    return new EventStoreConfig(eventTypes, clock, maxPayloadBytes, upcasters, upcasterDiscovery, metadataEnricher, value);
  }
}

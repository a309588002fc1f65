package dev.fabula;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry that maps stable type names to Java classes, and the JSON mapper that turns events
 * into JSON and back. Immutable and thread-safe.
 *
 * <pre>{@code
 * EventTypes types = EventTypes.builder()
 *     .register(ConfigEvent.class)                 // a sealed interface: every @EventType subclass
 *     .register(LegacyEvent.class, "legacy", 1)    // explicit name and schema version
 *     .build();
 * }</pre>
 *
 * <p>The default mapper handles records and {@code java.time} types (as ISO-8601 strings; a
 * {@code ZonedDateTime} keeps its region: {@code 2024-03-31T03:30+02:00[Europe/Paris]}), keeps
 * decimal numbers exact ({@code 12.50} stays a {@code BigDecimal} of scale 2, for money) and
 * ignores unknown properties, so adding a field to an event never breaks reading old ones.
 */
public final class EventTypes {

  private static final EventTypes NONE = builder().build();

  /** One registered class. */
  private record Registration(Class<?> type, String name, int schemaVersion) {}

  private final ObjectMapper mapper;
  private final Map<Class<?>, Registration> byClass;
  private final Map<String, Registration> byName;

  private EventTypes(ObjectMapper mapper, Map<Class<?>, Registration> byClass) {
    this.mapper = mapper;
    this.byClass = Map.copyOf(byClass);
    Map<String, Registration> names = new LinkedHashMap<>();
    byClass.values().forEach(r -> names.put(r.name(), r));
    this.byName = Map.copyOf(names);
  }

  /** A registry with no types: every event is read as a {@link RawEvent}. */
  public static EventTypes none() {
    return NONE;
  }

  /** Starts a registry. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The mapper used by default: records, {@code java.time} as ISO-8601, unknown properties ignored.
   */
  public static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
        .build();
  }

  /** The JSON mapper. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** The class registered under {@code typeName}, if any. */
  public Optional<Class<?>> classOf(String typeName) {
    Registration r = byName.get(typeName);
    return r == null ? Optional.empty() : Optional.of(r.type());
  }

  /** The type name registered for {@code type}, if any. */
  public Optional<String> nameOf(Class<?> type) {
    Registration r = byClass.get(type);
    return r == null ? Optional.empty() : Optional.of(r.name());
  }

  /**
   * Turns an event payload into its stored form: type name, schema version and JSON object.
   *
   * @throws UnknownEventTypeException if the payload's class is not registered
   * @throws SerializationException if Jackson cannot serialise it
   * @throws InvalidInputException if it does not serialise to a JSON object
   */
  public RawEvent encode(Object payload) {
    if (payload instanceof RawEvent raw) {
      return raw;
    }
    Registration r = byClass.get(payload.getClass());
    if (r == null) {
      throw new UnknownEventTypeException(
          "event class " + payload.getClass().getName() + " is not registered; register it with "
              + "EventTypes.builder().register(" + payload.getClass().getSimpleName() + ".class) "
              + "(annotated with @EventType) or register(type, \"name\", version), "
              + "or append it as EventData.json(type, version, node)");
    }
    JsonNode node;
    try {
      node = mapper.valueToTree(payload);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(
          "cannot serialise event " + r.name() + " (" + r.type().getName() + ") to JSON: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new InvalidInputException(
          "event " + r.name() + " must serialise to a JSON object but became " + node.getNodeType()
              + "; wrap the value in a record");
    }
    return new RawEvent(r.name(), r.schemaVersion(), object);
  }

  /**
   * Decodes a stored event into its registered class, or returns it as a {@link RawEvent} when its
   * type is not registered, so that pattern matching sees every event.
   *
   * @throws SerializationException if the JSON does not fit the registered class
   */
  public Object decode(RecordedEvent event) {
    Registration r = byName.get(event.type());
    if (r == null) {
      return new RawEvent(event.type(), event.schemaVersion(), event.payload());
    }
    return convert(event, r.type());
  }

  /**
   * Decodes a stored event as {@code type}: as its registered class when that is {@code type} or
   * one of its subtypes (so {@code decode(event, OrderEvent.class)} works for a sealed interface
   * of registered records), else straight into {@code type}, whatever the registry says.
   *
   * @throws SerializationException if the JSON does not fit the class
   */
  public <T> T decode(RecordedEvent event, Class<T> type) {
    Registration r = byName.get(event.type());
    if (r != null && type.isAssignableFrom(r.type())) {
      return type.cast(convert(event, r.type()));
    }
    return convert(event, type);
  }

  private <T> T convert(RecordedEvent event, Class<T> type) {
    try {
      return mapper.treeToValue(event.payload(), type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new SerializationException(
          "cannot decode event at position " + event.position() + " (stream '" + event.streamId()
              + "', type " + event.type() + " v" + event.schemaVersion() + ") into " + type.getName()
              + ": " + e.getMessage() + "; register an Upcaster if the stored shape is older", e);
    }
  }

  /** Builds an {@link EventTypes}. Not thread-safe; build once at start-up. */
  public static final class Builder {
    private final Map<Class<?>, Registration> byClass = new LinkedHashMap<>();
    private ObjectMapper mapper = defaultMapper();

    private Builder() {}

    /**
     * Registers a class annotated with {@link EventType}, or a sealed interface or class: then
     * every permitted subtype annotated with {@link EventType} is registered. Registering a class
     * twice under the same name is harmless.
     *
     * @throws InvalidInputException if the class is neither annotated nor sealed, or a name is
     *     taken by another class
     */
    public Builder register(Class<?> type) {
      EventType annotation = type.getAnnotation(EventType.class);
      if (annotation != null) {
        return register(type, annotation.value(), annotation.version());
      }
      if (type.isSealed()) {
        for (Class<?> sub : type.getPermittedSubclasses()) {
          register(sub);
        }
        return this;
      }
      throw new InvalidInputException(
          type.getName() + " has no @EventType annotation and is not sealed; annotate it with "
              + "@EventType(\"name\") or call register(type, \"name\", version)");
    }

    /** Registers {@code type} under {@code name} with its current schema version. */
    public Builder register(Class<?> type, String name, int schemaVersion) {
      dev.fabula.internal.Validation.typeName(name);
      if (schemaVersion < 1) {
        throw new InvalidInputException(
            "schema version of " + name + " must be 1 or more but was " + schemaVersion);
      }
      for (Registration r : byClass.values()) {
        if (r.name().equals(name) && !r.type().equals(type)) {
          throw new InvalidInputException(
              "type name '" + name + "' is already registered for " + r.type().getName()
                  + "; cannot register it for " + type.getName() + " too");
        }
      }
      Registration existing = byClass.get(type);
      if (existing != null && !existing.name().equals(name)) {
        throw new InvalidInputException(
            type.getName() + " is already registered as '" + existing.name() + "', not '" + name + "'");
      }
      byClass.put(type, new Registration(type, name, schemaVersion));
      return this;
    }

    /** Uses {@code value} instead of {@link #defaultMapper()}. */
    public Builder mapper(ObjectMapper value) {
      this.mapper = value;
      return this;
    }

    /** Returns the immutable registry. */
    public EventTypes build() {
      return new EventTypes(mapper, byClass);
    }
  }
}

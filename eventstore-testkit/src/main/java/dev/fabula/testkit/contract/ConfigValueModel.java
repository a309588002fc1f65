package dev.fabula.testkit.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import dev.fabula.RawEvent;
import dev.fabula.Upcaster;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The domain {@link AggregateCommandContract} and {@link AggregateHistoryContract} run on: one
 * value of a config service, which can be set and deleted. Setting a deleted value ({@code value-deleted}) and deleting a value that does not exist
 * ({@code value-not-found}) are rejected; setting the value it already has changes nothing. Its
 * "config-value-set" event is at schema version 3; {@link ValueSetV1} is how version 1 looked, and
 * two upcasters read it as version 3.
 */
public final class ConfigValueModel {
  private ConfigValueModel() {}

  /** What a config value can be asked to do. */
  public sealed interface ConfigCommand permits SetValue, DeleteValue {}

  /**
   * Sets the value.
   *
   * @param value the new value
   */
  public record SetValue(String value) implements ConfigCommand {}

  /** Deletes the value for good. */
  public record DeleteValue() implements ConfigCommand {}

  /** What happened to a config value. */
  public sealed interface ConfigEvent permits ValueSet, ValueDeleted {}

  /**
   * The value was set (schema version 3).
   *
   * @param value the value
   * @param secret whether it is secret
   */
  @EventType(value = "config-value-set", version = 3)
  public record ValueSet(String value, boolean secret) implements ConfigEvent {}

  /**
   * The value was deleted.
   *
   * @param previousValue the value it had
   */
  @EventType("config-value-deleted")
  public record ValueDeleted(String previousValue) implements ConfigEvent {}

  /**
   * The first schema of "config-value-set", whose field was called "val".
   *
   * @param val the value
   */
  @EventType(value = "config-value-set", version = 1)
  public record ValueSetV1(String val) {}

  /**
   * The state of a config value.
   *
   * @param status where it is in its life
   * @param value its value while set
   */
  public record ConfigValue(Status status, @Nullable String value) {
    /** Where a config value is in its life. */
    public enum Status {
      /** Never set. */
      ABSENT,
      /** Set. */
      SET,
      /** Deleted for good. */
      DELETED
    }

    /** The state before the first event. */
    public static final ConfigValue ABSENT = new ConfigValue(Status.ABSENT, null);
  }

  /** Today's event types. */
  public static final EventTypes TYPES = EventTypes.builder().register(ConfigEvent.class).build();

  /** The event types of the old code base, with {@link ValueSetV1}. */
  public static final EventTypes V1_TYPES = EventTypes.builder().register(ValueSetV1.class).build();

  /** v1 to v2: the field "val" became "value". */
  public static final Upcaster V1_TO_V2 = Upcaster.transform("config-value-set", 1, payload -> {
    payload.set("value", payload.remove("val"));
    return payload;
  });

  /** v2 to v3: values can be secret; old ones were not. */
  public static final Upcaster V2_TO_V3 = Upcaster.of("config-value-set", 2, event -> {
    ObjectNode payload = event.payload().put("secret", false);
    return List.of(new RawEvent("config-value-set", 3, payload));
  });

  /** The config value as a decider. */
  public static final class ConfigValueAggregate implements Aggregate<ConfigValue, ConfigCommand, ConfigEvent> {

    /** Creates the aggregate. */
    public ConfigValueAggregate() {}

    @Override
    public String category() {
      return "config";
    }

    @Override
    public Class<ConfigValue> stateType() {
      return ConfigValue.class;
    }

    @Override
    public Class<ConfigEvent> eventType() {
      return ConfigEvent.class;
    }

    @Override
    public ConfigValue initialState() {
      return ConfigValue.ABSENT;
    }

    @Override
    public ConfigValue evolve(ConfigValue state, ConfigEvent event) {
      if (event instanceof ValueSet set) {
        return new ConfigValue(ConfigValue.Status.SET, set.value());
      }
      if (event instanceof ValueDeleted) {
        return new ConfigValue(ConfigValue.Status.DELETED, null);
      }
      throw new IllegalArgumentException("unknown event " + event);
    }

    @Override
    public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) {
      if (command instanceof SetValue set) {
        if (state.status() == ConfigValue.Status.DELETED) {
          return Decision.reject("value-deleted", "the value was deleted; it cannot be set again");
        }
        if (set.value().equals(state.value())) {
          return Decision.accept();
        }
        return Decision.accept(new ValueSet(set.value(), false));
      }
      if (command instanceof DeleteValue) {
        if (state.status() != ConfigValue.Status.SET) {
          return Decision.reject("value-not-found", "there is no value to delete");
        }
        return Decision.accept(new ValueDeleted(state.value()));
      }
      throw new IllegalArgumentException("unknown command " + command);
    }
  }
}

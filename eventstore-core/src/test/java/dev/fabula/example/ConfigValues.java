package dev.fabula.example;

import dev.fabula.Aggregate;
import dev.fabula.Decision;
import dev.fabula.EventType;
import dev.fabula.EventTypes;
import org.jspecify.annotations.Nullable;

/**
 * The example domain of the aggregate tests and docs: one value of a user's config service, which
 * can be set and deleted. Setting a deleted value and deleting a value that was never set are
 * rejected; setting the value it already has changes nothing.
 */
public final class ConfigValues {
  private ConfigValues() {}

  /** What a config value can be asked to do. */
  public sealed interface ConfigCommand permits SetValue, DeleteValue {}

  /** Sets the value. */
  public record SetValue(String value) implements ConfigCommand {}

  /** Deletes the value for good. */
  public record DeleteValue() implements ConfigCommand {}

  /** What happened to a config value. */
  public sealed interface ConfigEvent permits ValueSet, ValueDeleted {}

  /** The value was set; version 3 of its schema (v1 called the field "val", v2 had no "secret"). */
  @EventType(value = "config-value-set", version = 3)
  public record ValueSet(String value, boolean secret) implements ConfigEvent {}

  /** The value was deleted. */
  @EventType("config-value-deleted")
  public record ValueDeleted(String previousValue) implements ConfigEvent {}

  /** The state: absent until first set, then set, and finally perhaps deleted. */
  public record ConfigValue(Status status, @Nullable String value) {
    /** Where a config value is in its life. */
    public enum Status { ABSENT, SET, DELETED }

    /** The state before the first event. */
    public static final ConfigValue ABSENT = new ConfigValue(Status.ABSENT, null);
  }

  /** The event types of this domain. */
  public static final EventTypes TYPES = EventTypes.builder().register(ConfigEvent.class).build();

  /** A config value as a decider: initial state, evolve, decide. */
  public static class ConfigValueAggregate implements Aggregate<ConfigValue, ConfigCommand, ConfigEvent> {

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
          return Decision.accept(); // already set: accepted, nothing changes
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

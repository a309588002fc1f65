package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fabula.EventType;

/**
 * What happened to a config value: the events of one stream {@code config-<name>}. A value's life
 * starts with {@link ValueCreated} (the first PUT, or an explicit re-creation after a delete), goes
 * through any number of {@link ValueUpdated}, and may end with {@link ValueDeleted}; a new life may
 * follow in the same stream, so the history of a name is never lost.
 *
 * <p>Values are any JSON value except {@code null}. Each event records the value before and after,
 * so the history reads without replaying anything.
 */
public sealed interface ConfigEvent {

  /** The config name the event is about. */
  String name();

  /**
   * A value came into existence: the name had never been set, or was deleted and is created again.
   *
   * @param name the config name
   * @param value the new value
   */
  @EventType("config-value-created")
  record ValueCreated(String name, JsonNode value) implements ConfigEvent {}

  /**
   * An existing value changed.
   *
   * @param name the config name
   * @param oldValue the value before
   * @param newValue the value after
   */
  @EventType("config-value-updated")
  record ValueUpdated(String name, JsonNode oldValue, JsonNode newValue) implements ConfigEvent {}

  /**
   * The value was deleted; the name has no value until it is created again.
   *
   * @param name the config name
   * @param oldValue the value it had
   */
  @EventType("config-value-deleted")
  record ValueDeleted(String name, JsonNode oldValue) implements ConfigEvent {}
}

package dev.fabula.examples.configservice;

import com.fasterxml.jackson.databind.JsonNode;

/** What a client asks of one config value. */
public sealed interface ConfigCommand {

  /** The config name. */
  String name();

  /** The client's belief about the current version. */
  Precondition precondition();

  /**
   * Set the value: creates it, updates it, or changes nothing if it already has this value.
   *
   * @param name the config name
   * @param value the value, any JSON value but {@code null}
   * @param precondition what must hold; {@link Precondition#ABSENT} (re)creates a deleted value
   */
  record SetValue(String name, JsonNode value, Precondition precondition) implements ConfigCommand {}

  /**
   * Delete the current value.
   *
   * @param name the config name
   * @param precondition what must hold
   */
  record DeleteValue(String name, Precondition precondition) implements ConfigCommand {}
}

package dev.fabula;

/**
 * An event-sourced aggregate described as a <em>decider</em>: an initial state, how an event
 * evolves the state, and how a command decides on new events or is rejected. Plain Java: records
 * for state, commands and events, sealed interfaces where they help, no annotations, no base class.
 *
 * <pre>{@code
 * final class ConfigValueAggregate implements Aggregate<ConfigValue, ConfigCommand, ConfigEvent> {
 *   public String category() { return "config"; }
 *   public Class<ConfigValue> stateType() { return ConfigValue.class; }
 *   public Class<ConfigEvent> eventType() { return ConfigEvent.class; }
 *   public ConfigValue initialState() { return ConfigValue.ABSENT; }
 *   public ConfigValue evolve(ConfigValue state, ConfigEvent event) { ... }
 *   public Decision<ConfigEvent> decide(ConfigValue state, ConfigCommand command) { ... }
 * }
 * }</pre>
 *
 * <p>{@link #evolve} and {@link #decide} must be pure functions: no I/O, no clock, no randomness
 * (pass such values in the command). The {@link AggregateRepository} may call {@code decide}
 * several times for one command when it retries after a concurrent write, and replays {@code
 * evolve} on every load. Implementations must be thread-safe (usually: stateless).
 *
 * @param <S> the state: an immutable value, serialisable to JSON by the store's mapper if snapshots
 *     are used
 * @param <C> the commands
 * @param <E> the events: classes registered in the store's {@link EventTypes}
 */
public interface Aggregate<S, C, E> {

  /**
   * The stream category of this aggregate type, such as {@code config}: the part of every stream id
   * before the first {@code -}. It must not contain {@code -}.
   */
  String category();

  /** The state's class, to read snapshots back. */
  Class<S> stateType();

  /** The events' common type (often a sealed interface); stored events must decode to it. */
  Class<E> eventType();

  /**
   * The schema version of the state, 1 or more. Raise it whenever the state class changes shape:
   * snapshots taken with another version are then ignored and rebuilt from the events, never read
   * into the new class.
   */
  default int stateSchemaVersion() {
    return 1;
  }

  /** The state before the first event. */
  S initialState();

  /**
   * The state after {@code event}. Must not return null.
   *
   * @param state the state before the event
   * @param event the event, already upcast to its current shape
   */
  S evolve(S state, E event);

  /**
   * Decides what {@code command} does in {@code state}: new events ({@link Decision#accept}, none
   * is fine) or a rejection by a business rule ({@link Decision#reject}). Must not return null;
   * throw only for programming errors (an unknown command).
   */
  Decision<E> decide(S state, C command);

  /**
   * The stream id of the aggregate with id {@code id}: {@code category() + "-" + id} by default.
   */
  default String streamId(String id) {
    return category() + "-" + id;
  }
}

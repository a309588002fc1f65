package dev.fabula;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Aggregate#decide} returns: the events a command produces, or its rejection.
 *
 * <pre>{@code
 * if (state.deleted()) {
 *   return Decision.reject("value-deleted", "config value '" + state.name() + "' was deleted");
 * }
 * return Decision.accept(new ValueSet(command.value()));
 * }</pre>
 *
 * @param <E> the aggregate's event type
 */
public sealed interface Decision<E> permits Decision.Accept, Decision.Reject {

  /**
   * The command is accepted and produces these events, in order; none means it changes nothing.
   *
   * @param events the new events (an immutable copy)
   * @param <E> the event type
   */
  record Accept<E>(List<E> events) implements Decision<E> {
    /** Copies the list; it must not contain null. */
    public Accept {
      if (events == null || events.stream().anyMatch(java.util.Objects::isNull)) {
        throw new InvalidInputException("accepted events must be a list without nulls, got " + events);
      }
      events = List.copyOf(events);
    }
  }

  /**
   * The command is rejected by a business rule; nothing is written.
   *
   * @param rejection the code and message
   * @param <E> the event type
   */
  record Reject<E>(Rejection rejection) implements Decision<E> {
    /** Checks the rejection is present. */
    public Reject {
      if (rejection == null) {
        throw new InvalidInputException("rejection must not be null");
      }
    }
  }

  /** Accepts the command with these events (none: accepted, nothing changes). */
  @SafeVarargs
  static <E> Decision<E> accept(E... events) {
    List<E> list = new ArrayList<>(events.length);
    for (E event : events) {
      list.add(event);
    }
    return new Accept<>(list);
  }

  /** Accepts the command with these events. */
  static <E> Decision<E> accept(List<? extends E> events) {
    return new Accept<>(List.copyOf(events));
  }

  /** Rejects the command with a code and a message. */
  static <E> Decision<E> reject(String code, String message) {
    return new Reject<>(new Rejection(code, message));
  }

  /** Rejects the command. */
  static <E> Decision<E> reject(Rejection rejection) {
    return new Reject<>(rejection);
  }
}

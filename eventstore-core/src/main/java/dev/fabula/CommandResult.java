package dev.fabula;

import java.util.List;
import java.util.Optional;

/**
 * What {@link AggregateRepository#handle} did with a command: accepted (with the events it
 * appended) or rejected by a business rule. Concurrency conflicts are not results: they are retried,
 * and only surface as a {@link ConcurrencyException} when every attempt conflicted.
 *
 * <pre>{@code
 * CommandResult<ConfigEvent> result = repository.handle("db-url", new SetValue("jdbc:…"));
 * if (result.accepted()) {
 *   log.info("now at version {}", result.version());
 * } else {
 *   return badRequest(result.rejection().orElseThrow().message());
 * }
 * }</pre>
 *
 * @param <E> the aggregate's event type
 */
public sealed interface CommandResult<E> permits CommandResult.Accepted, CommandResult.Rejected {

  /**
   * The command was accepted and its events appended.
   *
   * @param streamId the aggregate's stream
   * @param events the events appended, in order; empty if the command changed nothing
   * @param version the stream's version after the append (unchanged if no events)
   * @param attempts how many times the command was decided: 1 plus the concurrency conflicts retried
   * @param position the global position of the last event appended, for {@code awaitPosition}
   *     (read-your-writes from an asynchronous read model); 0 if no events
   * @param <E> the event type
   */
  record Accepted<E>(String streamId, List<E> events, long version, int attempts, long position) implements CommandResult<E> {
    /** Copies the events. */
    public Accepted {
      events = List.copyOf(events);
    }

    @Override
    public boolean accepted() {
      return true;
    }

    @Override
    public Optional<Rejection> rejection() {
      return Optional.empty();
    }

    @Override
    public Accepted<E> orThrow() {
      return this;
    }
  }

  /**
   * The command was rejected; nothing was written.
   *
   * @param streamId the aggregate's stream
   * @param reason the rejection
   * @param version the stream version the decision was made on
   * @param attempts how many times the command was decided
   * @param <E> the event type
   */
  record Rejected<E>(String streamId, Rejection reason, long version, int attempts) implements CommandResult<E> {
    @Override
    public boolean accepted() {
      return false;
    }

    @Override
    public List<E> events() {
      return List.of();
    }

    @Override
    public Optional<Rejection> rejection() {
      return Optional.of(reason);
    }

    @Override
    public Accepted<E> orThrow() {
      throw new CommandRejectedException(streamId, reason);
    }
  }

  /** The aggregate's stream. */
  String streamId();

  /** Whether the command was accepted. */
  boolean accepted();

  /** The events appended; empty for a rejected command. */
  List<E> events();

  /** The rejection, or empty for an accepted command. */
  Optional<Rejection> rejection();

  /** After acceptance the stream's new version; after a rejection the version decided on. */
  long version();

  /** How many times the command was decided (1 without conflicts). */
  int attempts();

  /**
   * Returns this result if accepted.
   *
   * @throws CommandRejectedException if the command was rejected
   */
  Accepted<E> orThrow();
}

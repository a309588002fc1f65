package dev.fabula;

/**
 * An aggregate's state at a stream version, as {@link AggregateRepository#load} returns it.
 *
 * @param streamId the aggregate's stream
 * @param state the state after every event up to {@code version}
 * @param version the stream version the state reflects; 0 for an aggregate without events
 * @param <S> the state type
 */
public record AggregateState<S>(String streamId, S state, long version) {

  /** Whether the aggregate has no events yet (its state is the initial state). */
  public boolean isNew() {
    return version == 0;
  }
}

package dev.fabula.projections;

import dev.fabula.RecordedEvent;
import java.util.List;

/**
 * Applies events to something outside the event store's database (a cache, a search index, an
 * HTTP service): the runner moves the checkpoint after the handler returns, so an event may be
 * delivered again after a crash or a lease takeover. Make effects idempotent with {@link
 * RecordedEvent#position()} (or the event id).
 *
 * <p><b>Fencing.</b> The runner delivers a batch only while it holds the projection's lease
 * within its safe window, and the handlers made by {@link #eachEvent} check that again before
 * every event, so a runner that was paused past its lease applies nothing after it wakes up. A
 * pause between that check and the effect is still possible: for systems that must never see a
 * write of a runner that lost its lease, pass the {@link FencingToken} (through {@link
 * #eachEvent(FencedPerEvent)} or {@link #fenced}) and have them reject lower tokens.
 *
 * <p>Called from one thread at a time per projection, outside any database transaction. Throwing
 * rejects the batch; the runner retries (see {@link FailurePolicy}), possibly one event at a time,
 * so events of a batch that had succeeded are delivered again.
 */
@FunctionalInterface
public non-sealed interface AtLeastOnceHandler extends ProjectionHandler {

  /**
   * Applies a batch of events, in global-log order.
   *
   * @param events one or more events, all passing the projection's filter
   * @throws Exception to reject the batch
   */
  void apply(List<RecordedEvent> events) throws Exception;

  /**
   * Applies a batch of events under the lease's fencing token: what the runner calls. The default
   * calls {@link #apply(List)}; the handlers made by the factories of this interface check {@code
   * token} between events, and pass it on where asked.
   *
   * @param events one or more events, all passing the projection's filter
   * @param token the fencing token of the lease this delivery runs under
   * @throws Exception to reject the batch
   */
  default void apply(List<RecordedEvent> events, FencingToken token) throws Exception {
    apply(events);
  }

  /**
   * A handler that applies the events of each batch one at a time with {@code handler}, and
   * checks the lease ({@link FencingToken#check}) before each one.
   */
  static AtLeastOnceHandler eachEvent(PerEvent handler) {
    return new AtLeastOnceHandler() {
      @Override
      public void apply(List<RecordedEvent> events) throws Exception {
        for (RecordedEvent event : events) {
          handler.apply(event);
        }
      }

      @Override
      public void apply(List<RecordedEvent> events, FencingToken token) throws Exception {
        for (RecordedEvent event : events) {
          token.check();
          handler.apply(event);
        }
      }
    };
  }

  /**
   * A handler that applies the events of each batch one at a time with {@code handler}, passing
   * the fencing token, and checks the lease ({@link FencingToken#check}) before each one.
   */
  static AtLeastOnceHandler eachEvent(FencedPerEvent handler) {
    return fenced((events, token) -> {
      for (RecordedEvent event : events) {
        token.check();
        handler.apply(event, token);
      }
    });
  }

  /**
   * A handler that applies each batch with {@code handler}, passing the fencing token. A batch
   * handler that makes several effects should {@link FencingToken#check} between them. Only the
   * runner can call it: {@link #apply(List)}, without a token, throws.
   */
  static AtLeastOnceHandler fenced(Fenced handler) {
    return new AtLeastOnceHandler() {
      @Override
      public void apply(List<RecordedEvent> events) {
        throw new ProjectionException("this at-least-once handler takes a fencing token: "
            + "call apply(events, token), as the projection runner does");
      }

      @Override
      public void apply(List<RecordedEvent> events, FencingToken token) throws Exception {
        handler.apply(events, token);
      }
    };
  }

  /** Applies one event. */
  @FunctionalInterface
  interface PerEvent {
    /**
     * Applies {@code event}.
     *
     * @param event the event; its position is the idempotency key
     * @throws Exception to reject the event
     */
    void apply(RecordedEvent event) throws Exception;
  }

  /** Applies one event under a fencing token. */
  @FunctionalInterface
  interface FencedPerEvent {
    /**
     * Applies {@code event}.
     *
     * @param event the event; its position is the idempotency key
     * @param token the fencing token to pass to the system the effect goes to
     * @throws Exception to reject the event
     */
    void apply(RecordedEvent event, FencingToken token) throws Exception;
  }

  /** Applies a batch under a fencing token. */
  @FunctionalInterface
  interface Fenced {
    /**
     * Applies {@code events}.
     *
     * @param events one or more events, in global-log order
     * @param token the fencing token to pass to the systems the effects go to
     * @throws Exception to reject the batch
     */
    void apply(List<RecordedEvent> events, FencingToken token) throws Exception;
  }
}

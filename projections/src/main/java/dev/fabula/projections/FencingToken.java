package dev.fabula.projections;

/**
 * The fencing token of the lease an {@link AtLeastOnceHandler} runs under: pass {@link #value()}
 * with every write to a system outside the event store's database, and have that system reject a
 * write whose token is lower than the highest it has seen for the projection.
 *
 * <p>The token is a number per projection version, kept in its checkpoint row, that grows by one
 * every time a runner takes the lease. A runner that was paused (a GC pause, {@code SIGSTOP}, a
 * VM migration) past its lease while another runner took over still holds the older, lower token,
 * so its late writes are recognisable as stale. The runner itself stops applying once the lease's
 * <em>safe window</em> has passed (the lease's expiry on the database's clock, less a safety
 * margin, measured locally with a monotonic clock since the last renewal); {@link #check()} asks
 * it between effects. The token covers the gap the runner cannot: a pause that falls between the
 * last check and the write.
 *
 * <pre>{@code
 * Projection mailer = Projection.atLeastOnce("mailer", AtLeastOnceHandler.eachEvent((event, token) ->
 *     outbox.send(event.eventId(), token.value()))); // the outbox refuses tokens lower than its highest
 * }</pre>
 *
 * <p>Valid only during the handler call it was passed to; thread-safe.
 */
public interface FencingToken {

  /** The token: higher than that of every earlier lease holder of this projection version. */
  long value();

  /**
   * Whether this runner still holds the lease within its safe window: false once it was lost,
   * released, or not renewed in time. True is a statement about now, not about the next write;
   * the token's {@link #value()} is what protects that write.
   */
  boolean valid();

  /**
   * Returns normally while {@link #valid()}; else throws, which ends the handler call without
   * counting as a handler failure: the batch's checkpoint does not move, and the runner goes back
   * to taking the lease (its new holder delivers the batch again).
   *
   * @throws LostLeaseException when the lease is no longer safely held
   */
  void check();
}

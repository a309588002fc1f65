package dev.fabula.projections;

import dev.fabula.jdbc.JdbcEventStore;
import dev.fabula.projections.spi.ProjectionObserver;
import dev.fabula.projections.internal.ProjectionsImpl;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The projections of one event store: creates runners, and answers and steers from any process —
 * status, read-your-writes waits, the delivery audit, dead letters, rebuilds and blue/green
 * switches. Its state lives in three tables next to the store's ({@code <prefix>projection_*}).
 *
 * <pre>{@code
 * Projections projections = Projections.open(store);
 * try (ProjectionRunner runner = projections.runner(RunnerConfig.DEFAULT, List.of(orderList))) {
 *   runner.start();
 *   AppendResult r = store.append("order-7", ExpectedVersion.noStream(), events);
 *   projections.awaitPosition(orderList.id(), r.lastPosition(), Duration.ofSeconds(5));
 *   // order_list now shows order 7
 * }
 * }</pre>
 *
 * <p><b>Tenants.</b> Projections run on the unconfined store, so a runner reads every tenant's
 * events; each carries its tenant in {@code event.metadata().tenantId()} (null for none), and a
 * read model that serves tenants keeps it in its rows (a tenant's own read model filters on it).
 * Dead letters name a stream by its tenant and id. A tenant view ({@code store.forTenant(t)}) is
 * not a {@link JdbcEventStore}, so no tenant reaches this API: it is an operator's.
 *
 * <p>Requests that change what a runner does (rebuild, retry, resume) are recorded in the tables
 * and carried out by whichever runner holds the projection's lease, at once when it runs in this
 * process, else within its poll interval. Thread-safe. Throws only {@link
 * dev.fabula.EventStoreException}s.
 */
public interface Projections {

  /**
   * The projections of {@code store}; checks that their tables are migrated, or migrates them when
   * the store was opened with {@code JdbcConfig.withMigrateOnOpen(true)} (safe when several
   * processes start at once).
   *
   * @throws ProjectionException if the store's dialect has no projection SQL (only {@code
   *     postgresql} and {@code sqlite} do)
   */
  static Projections open(JdbcEventStore store) {
    return ProjectionsImpl.open(store);
  }

  /** The event store. */
  JdbcEventStore store();

  /**
   * A runner for {@code projections}, not started yet. Registers each projection version (its
   * checkpoint starts at 0 when new).
   *
   * @throws ProjectionException if two projections share a name and version
   */
  ProjectionRunner runner(RunnerConfig config, List<Projection> projections);

  /**
   * The status of a projection version.
   *
   * @throws ProjectionException if it was never registered
   */
  ProjectionStatus status(ProjectionId id);

  /**
   * Registers an observer of what this process's runners (made by this object) do: batches
   * applied and their time, retries, parked events; see {@link ProjectionObserver} for its
   * contract. Metrics ({@code fabula-metrics}) register one. Registering the same observer twice
   * registers it once.
   *
   * @return a registration whose {@code close()} removes the observer
   */
  JdbcEventStore.Registration observe(ProjectionObserver observer);

  /** The status of every registered projection version. */
  List<ProjectionStatus> statuses();

  /**
   * Blocks until the projection has applied every event it handles up to {@code position} — for
   * reading your own writes from an asynchronous read model. Pass the position of your append
   * ({@link dev.fabula.AppendResult#lastPosition()}). Positions of events it does not handle count
   * as reached once nothing it handles is pending up to them. After {@link #rebuild}, it waits
   * until the rebuild has replayed up to {@code position}; after {@link #retryParked}, until the
   * retried events were applied or parked again.
   *
   * <p>It never returns for an event that was not applied: if the event at {@code position} was
   * parked (under {@link FailurePolicy#PARK}, or held back behind an earlier parked event of its
   * stream) or dismissed, it throws {@link EventParkedException}, whose {@link
   * EventParkedException#parkedEvent()} says why.
   *
   * @throws EventParkedException if the event at {@code position} was parked or dismissed
   * @throws ProjectionTimeoutException if it did not get there within {@code timeout}
   * @throws ProjectionFailedException if it is (or becomes) FAILED meanwhile
   * @throws ProjectionException if it was never registered
   */
  void awaitPosition(ProjectionId id, long position, Duration timeout);

  /**
   * The delivery audit: what became of the event at {@code position} for this projection version,
   * and why. Never reports {@link DeliveryState#SKIPPED_DEAD} (see there).
   */
  Delivery delivery(ProjectionId id, long position);

  /** The dead-letter table of a projection version, every status, in position order. */
  List<ParkedEvent> deadLetters(ProjectionId id);

  /** The events a projection version holds back (parked or marked for retry), in position order. */
  List<ParkedEvent> parked(ProjectionId id);

  /**
   * Asks the lease holder to retry the parked events of one stream of no tenant (appended through
   * the unconfined store), oldest first; the same as {@code retryParked(id, null, streamId)}. For a
   * tenant's stream, name the tenant: {@link #retryParked(ProjectionId, String, String)}.
   *
   * @return the number of events marked for retry
   */
  default int retryParked(ProjectionId id, String streamId) {
    return retryParked(id, null, streamId);
  }

  /**
   * Asks the lease holder to retry the parked events of one stream, oldest first; when all apply,
   * the stream flows again. Events that fail again go back to parked, with the new error. A stream
   * is named by its tenant and id ({@link ParkedEvent#tenantId()}, {@link ParkedEvent#streamId()}):
   * since each tenant has a namespace of its own, acme's {@code order-1} and globex's {@code
   * order-1} are two streams, parked, held back and retried apart.
   *
   * @param tenantId the stream's tenant, or null for a stream of no tenant
   * @return the number of events marked for retry
   * @throws ProjectionException if {@code streamId} is null or {@code tenantId} is empty
   */
  int retryParked(ProjectionId id, @Nullable String tenantId, String streamId);

  /** Asks the lease holder to retry every parked event, stream by stream. */
  int retryAllParked(ProjectionId id);

  /**
   * Dismisses a parked event: it will never be applied; its row stays with {@code reason}. When a
   * stream's last waiting event is dismissed or applied, the stream flows again.
   *
   * @return whether an event was waiting at that position
   */
  boolean dismissParked(ProjectionId id, long position, String reason);

  /**
   * Lets a FAILED projection run again: its lease holder retries the failed event (deploy the fix
   * first).
   *
   * @return whether it was FAILED
   */
  boolean resume(ProjectionId id);

  /**
   * Asks the lease holder to rebuild a projection version: in one transaction, run its {@link
   * ResetHook}, forget its dead letters and set its checkpoint to 0; then replay the log ({@link
   * ProjectionState#REBUILDING} until caught up). A FAILED projection rebuilds too.
   *
   * <p>Only a {@link Projection#rebuildable() rebuildable} projection is rebuilt: one whose
   * registered definition (the one its runner started with last) has a reset hook or declares
   * {@link Projection#withIdempotentReplay an idempotent replay}. Any other is refused here, since
   * a replay over its rows would apply every event twice; and should a runner whose definition has
   * neither take the request over (a rolling deploy), it marks the projection FAILED with the same
   * advice instead of replaying.
   *
   * @throws ProjectionException if it was never registered, or is not rebuildable (the message
   *     says what to add)
   */
  void rebuild(ProjectionId id);

  /**
   * Splits one segment of a projection that runs as segments ({@link Projection#withSegments}) in
   * two, without a rebuild: segment {@code s} of mask {@code m} becomes {@code s} and {@code s + m +
   * 1} of mask {@code 2m + 1}, both at its checkpoint and in its state (a segment split while it
   * rebuilds goes on rebuilding, in both halves). Its holder loses the lease at its next write
   * (its batch then is not committed: a transactional handler's effects roll back, an at-least-once
   * handler's batch is delivered again), and the runners' free threads claim the halves. Any process.
   *
   * @throws ProjectionException if the projection does not run as segments, has no segment {@code
   *     segment}, the segment is FAILED, or the projection has {@link Projection#MAX_SEGMENTS}
   */
  void split(ProjectionId id, int segment);

  /**
   * Merges a segment with its sibling (the other half of the split that made them), without a
   * rebuild and without delivering any event twice: the merged segment (the lower number, half the
   * mask) starts at the slower half's checkpoint and skips, up to the faster half's checkpoint, the
   * events of the faster half's streams, which that half applied. The halves' holders lose their
   * leases at their next write, as for {@link #split}. Any process.
   *
   * @return the merged segment's number
   * @throws ProjectionException if the projection does not run as segments or has one segment, the
   *     sibling was split further, a half is FAILED, or a half still skips for an earlier merge
   *     (merge it once its checkpoint passed the skip's end, shown in {@link SegmentStatus#skipUntil})
   */
  int merge(ProjectionId id, int segment);

  /**
   * Blue/green: waits until {@code id} has caught up with the head of the log as it is now, then
   * makes it the version readers use ({@link #servingVersion}). Its previous version keeps
   * running until you drop it.
   *
   * @throws ProjectionTimeoutException if it did not catch up within {@code timeout}
   * @throws ProjectionFailedException if it is FAILED
   */
  void promote(ProjectionId id, Duration timeout);

  /** The version readers should use, if one was promoted. */
  OptionalInt servingVersion(String name);

  /**
   * Retires a projection version: in one transaction, runs {@code dropReadModel} (drop its tables)
   * and deletes its checkpoint and dead letters.
   *
   * @throws ProjectionException if it is the serving version, or a runner still holds its lease
   *     (remove it from the runner's list and restart the runner first)
   */
  void drop(ProjectionId id, ResetHook dropReadModel);
}

package dev.fabula;

import dev.fabula.spi.SnapshotStore;
import java.util.List;

/**
 * Retention and archiving for one store or tenant view ({@link EventStore#retention()}): removes
 * old events from streams, and moves whole streams to cold storage and back. Everything is applied
 * by an explicit call (from the application, a scheduled job, or {@code fabula retention}); nothing
 * runs in the background.
 *
 * <p><b>Tenants.</b> A tenant view's retention touches only that tenant's streams; the unconfined
 * store's touches only the streams of no tenant.
 *
 * <p><b>The global log.</b> Removed events leave the log; positions are never reused, and the read
 * horizon stays correct. Every removal is recorded ({@link RemovedRange}): a log reader whose
 * position is behind one fails with {@link TruncatedRangeException} instead of skipping it, until
 * it accepts it ({@link LogQuery#acceptRemovalsThrough}).
 *
 * <p><b>Archived streams</b> are kept in cold storage (an archive table next to the events): normal
 * reads and appends fail with {@link StreamArchivedException}; {@link #readArchived} reads them;
 * {@link #unarchive} puts the events back at their positions.
 *
 * <p>Thread-safe. Each call runs in transactions of its own (one per stream).
 */
public interface Retention {

  /**
   * Removes the versions of {@code streamId} before {@code beforeVersion}, once a snapshot covers
   * them: {@code snapshots} must hold a snapshot of the stream at version {@code beforeVersion - 1}
   * or later.
   *
   * @return the removed range, or empty when there was nothing before that version
   * @throws InvalidInputException if no snapshot covers the versions
   */
  java.util.Optional<RemovedRange> truncateBefore(String streamId, long beforeVersion, SnapshotStore snapshots);

  /**
   * Applies a policy to its stream or to every stream of its category.
   *
   * @return what was removed, one range per stream that lost events
   */
  List<RemovedRange> apply(RetentionPolicy policy);

  /**
   * Moves a stream's events to cold storage, in one transaction: they leave the stream and the
   * global log (recorded as a removal), and the stream reads as archived until {@link #unarchive}.
   *
   * @return the archived range, or empty for a stream that has no events left
   * @throws StreamDeletedException if the stream is deleted (or already archived)
   * @throws InvalidInputException if the stream does not exist
   */
  java.util.Optional<RemovedRange> archive(String streamId);

  /**
   * Brings an archived stream back, in one transaction: its events return to the stream and the
   * global log at their old positions (a log reader already past them does not read them again),
   * and its archive removal record goes.
   *
   * @throws InvalidInputException if the stream is not archived
   */
  void unarchive(String streamId);

  /**
   * Reads an archived stream's events from cold storage, oldest first, decoded and upcast as
   * {@link EventStore#readStream} would.
   *
   * @throws InvalidInputException if the stream is not archived
   */
  List<RecordedEvent> readArchived(String streamId);

  /**
   * What a log reader running {@code query} cannot see: the removals after its position, in its
   * tenant and categories, not yet accepted. A rebuild from position 0 reports this list, then
   * reads on with {@link LogQuery#acceptRemovalsThrough}.
   */
  List<RemovedRange> removedAfter(LogQuery query);
}

package dev.fabula.spi;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.RemovedRange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a backend implements for {@link dev.fabula.Retention} ({@link Backend#retentionStorage()}):
 * removing a stream's old events, moving a stream to cold storage and back, and the record of
 * removals that log reads consult. The public view ({@code dev.fabula.Retention}) turns policies
 * into these calls. Every method is confined to the {@code tenant} namespace (null: the unconfined
 * store's streams) and runs in a transaction of its own. Thread-safe.
 *
 * <p><b>The backend's log reads</b> ({@link Backend#readAll}) must consult the same record: after
 * reading a page of the log over positions {@code (after, until]}, a read that crosses a removal
 * the query {@link LogQuery#concerns} throws {@link dev.fabula.TruncatedRangeException}. Reading
 * the page first and the removals second means a removal that commits meanwhile is never missed.
 */
public interface RetentionStorage {

  /** Where to cut a stream: the removed events are those with a version below the cut. */
  sealed interface Cut permits BeforeVersion, KeepLast, OlderThan {}

  /** Remove versions below {@code version}. */
  record BeforeVersion(long version) implements Cut {}

  /** Keep the newest {@code count} events. */
  record KeepLast(long count) implements Cut {}

  /** Remove events recorded before {@code instant}, up to the first one recorded at or after it. */
  record OlderThan(Instant instant) implements Cut {}

  /**
   * Removes the events of {@code streamId} below the cut, records the removal, in one transaction.
   *
   * @return the removal, or empty when nothing was below the cut (or the stream does not exist)
   */
  Optional<RemovedRange> truncate(@Nullable String tenant, String streamId, Cut cut);

  /** The ids of the streams of {@code category} that have events, in the tenant's namespace. */
  List<String> streamsOf(@Nullable String tenant, String category);

  /**
   * Moves the stream's events to cold storage and marks the stream deleted, recording the removal,
   * in one transaction.
   *
   * @return the removal, or empty if the stream had no events left
   * @throws dev.fabula.StreamDeletedException if the stream is deleted or already archived
   * @throws dev.fabula.InvalidInputException if the stream does not exist
   */
  Optional<RemovedRange> archive(@Nullable String tenant, String streamId);

  /**
   * Puts an archived stream's events back at their positions, clears the mark and deletes its
   * removal record, in one transaction.
   *
   * @throws dev.fabula.InvalidInputException if the stream is not archived
   */
  void unarchive(@Nullable String tenant, String streamId);

  /** Whether the stream is archived. */
  boolean archived(@Nullable String tenant, String streamId);

  /** An archived stream's stored events, oldest first (empty if it is not archived). */
  List<RecordedEvent> readArchived(@Nullable String tenant, String streamId);

  /** The removals {@code query} concerns whose largest position is above its position. */
  List<RemovedRange> removedAfter(LogQuery query);
}

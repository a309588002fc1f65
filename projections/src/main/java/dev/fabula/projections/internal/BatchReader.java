package dev.fabula.projections.internal;

import dev.fabula.RecordedEvent;
import dev.fabula.projections.Projection;
import dev.fabula.projections.ProjectionRunner;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a projection's batches of events for its {@link Worker}, and reads ahead while it catches
 * up: the next batch is read on a helper thread while the current one is applied and committed.
 *
 * <p>A batch read ahead is used only if the checkpoint ends exactly where that read started:
 * whatever happened meanwhile, it is then what {@code readAll} returned after the checkpoint, a
 * prefix of what a new read would return. Otherwise it is dropped and the batch read again.
 *
 * <p>The worker thread calls it; the read-ahead thread (a daemon, made at the first read ahead and
 * named after the worker's) only runs the reads.
 */
final class BatchReader {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class); // the runner's log, one name for its parts

  private final ProjectionSql sql;
  private final Projection projection;
  /** The next batch, read while the current one commits. */
  private @Nullable Prefetch prefetch;
  private @Nullable ExecutorService prefetcher;

  BatchReader(ProjectionSql sql, Projection projection) {
    this.sql = sql;
    this.projection = projection;
  }

  /** A read of the batch after {@code after}, under way. */
  private record Prefetch(long after, Future<List<RecordedEvent>> events) {}

  /** The events after {@code checkpoint}: the batch read ahead if it fits, else a new read. */
  List<RecordedEvent> next(long checkpoint) {
    Prefetch p = prefetch;
    prefetch = null;
    if (p != null) {
      if (p.after() == checkpoint) {
        try {
          return p.events().get();
        } catch (ExecutionException e) {
          LOG.debug("Projection {}: reading ahead failed ({}); reading again", projection.id(), e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        p.events().cancel(false);
      }
    }
    return read(checkpoint);
  }

  /** Starts reading the batch after {@code position}, for the next {@link #next}. */
  void readAhead(long position) {
    prefetch = new Prefetch(position, prefetcher().submit(() -> read(position)));
  }

  /** Stops the read-ahead thread. */
  void close() {
    if (prefetcher != null) {
      prefetcher.shutdownNow();
    }
  }

  private ExecutorService prefetcher() {
    if (prefetcher == null) {
      prefetcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, Thread.currentThread().getName() + "-read-ahead");
        t.setDaemon(true);
        return t;
      });
    }
    return prefetcher;
  }

  private List<RecordedEvent> read(long after) {
    try (Stream<RecordedEvent> events = sql.store().readAll(projection.filter().after(after, projection.batchSize()))) {
      return events.toList();
    }
  }
}

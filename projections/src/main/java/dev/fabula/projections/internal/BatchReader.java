package dev.fabula.projections.internal;

import dev.fabula.LogQuery;
import dev.fabula.RecordedEvent;
import dev.fabula.TruncatedRangeException;
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
  /** The newest retention removal the projection's hook accepted in this runner (0: none). */
  private volatile long acceptedRemovals;
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
    return read(checkpoint, true);
  }

  /** Starts reading the batch after {@code position}, for the next {@link #next}. */
  void readAhead(long position) {
    prefetch = new Prefetch(position, prefetcher().submit(() -> read(position, false)));
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

  /**
   * Reads the batch after {@code after}. A read that crosses a retention removal goes to the
   * projection's {@link dev.fabula.projections.RemovalHook} on the worker thread (a read ahead
   * fails, and {@link #next} reads again there): accepted, the read goes on past it; refused, the
   * {@link TruncatedRangeException} goes up to the worker, which records it and retries.
   */
  private List<RecordedEvent> read(long after, boolean mayAsk) {
    while (true) {
      LogQuery query = projection.filter().after(after, projection.batchSize()).acceptRemovalsThrough(acceptedRemovals);
      try (Stream<RecordedEvent> events = sql.store().readAll(query)) {
        return events.toList();
      } catch (TruncatedRangeException e) {
        if (!mayAsk || !accepts(e)) {
          throw e;
        }
        LOG.warn("Projection {} reads on past events removed by retention: {}", projection.id(), e.getMessage());
        acceptedRemovals = e.lastRemovalId();
      }
    }
  }

  private boolean accepts(TruncatedRangeException e) {
    try {
      return projection.removals().accept(e.ranges());
    } catch (Exception hookFailed) {
      e.addSuppressed(hookFailed);
      return false;
    }
  }
}
